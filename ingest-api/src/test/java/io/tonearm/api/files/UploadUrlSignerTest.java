package io.tonearm.api.files;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class UploadUrlSignerTest {
    private static final byte[] SECRET_1 = "0123456789abcdef0123456789abcdef-one".getBytes(StandardCharsets.UTF_8);
    private static final byte[] SECRET_2 = "0123456789abcdef0123456789abcdef-two".getBytes(StandardCharsets.UTF_8);
    private static final URI BASE = URI.create("https://api.example.com/v1/files/uploads");
    private static final Instant NOW = Instant.parse("2026-11-21T00:00:00Z");
    private static final Instant EXPIRES = NOW.plusSeconds(3600);

    private final UploadUrlSigner signer = new UploadUrlSigner(BASE, SigningKeys.of("k1", Map.of("k1", SECRET_1)));
    private final UploadGrant grant =
            new UploadGrant("file_abc123", "acct_42", 5_000_000L, "audio/mpeg", EXPIRES);

    private static void assertRejected(UploadUrlException.Reason reason, ThrowingCallable call) {
        assertThatThrownBy(call).isInstanceOfSatisfying(UploadUrlException.class,
                e -> assertThat(e.reason()).as(e.getMessage()).isEqualTo(reason));
    }

    @Test
    void aSignedUrlVerifiesToTheSameGrant() {
        URI url = signer.sign(grant);

        assertThat(url.toString()).startsWith("https://api.example.com/v1/files/uploads/file_abc123?")
                .contains("kid=k1").contains("type=audio%2Fmpeg").contains("size=5000000")
                .contains("expires=" + EXPIRES.getEpochSecond());
        assertThat(signer.verify(url, NOW)).isEqualTo(grant);
        assertThat(signer.verifyRaw(url.getRawPath(), url.getRawQuery(), EXPIRES.minusSeconds(1))).isEqualTo(grant);
        assertThat(signer.basePath()).isEqualTo("/v1/files/uploads");
    }

    @Test
    void verifiesFromDecodedPartsAsAWebFrameworkGivesThem() {
        URI url = signer.sign(grant);
        Map<String, List<String>> query = new java.util.HashMap<>();
        for (String pair : url.getRawQuery().split("&")) {
            String[] kv = pair.split("=", 2);
            query.put(kv[0], List.of(java.net.URLDecoder.decode(kv[1], StandardCharsets.UTF_8)));
        }
        assertThat(signer.verifyDecoded("file_abc123", query, NOW)).isEqualTo(grant);
    }

    @Test
    void accountIdsWithAnyCharactersRoundTrip() {
        UploadGrant odd = new UploadGrant("f1", "org:ü/ä&b=c d+e", 1, "video/mp4", EXPIRES);
        assertThat(signer.verify(signer.sign(odd), NOW)).isEqualTo(odd);
    }

    @Test
    void anExpiredUrlIsRejected() {
        URI url = signer.sign(grant);
        assertRejected(UploadUrlException.Reason.EXPIRED, () -> signer.verify(url, EXPIRES));
        assertRejected(UploadUrlException.Reason.EXPIRED, () -> signer.verify(url, EXPIRES.plusSeconds(86_400)));
    }

    @ParameterizedTest(name = "{0}: {1} -> {2}")
    @CsvSource({
        "path, file_abc123, file_abc124",
        "query, account=acct_42, account=acct_43",
        "query, size=5000000, size=5000001",
        "query, size=5000000, size=500000000",
        "query, type=audio%2Fmpeg, type=audio%2Fwav",
        "query, type=audio%2Fmpeg, type=video%2Fmp4",
        "query, expires=, expires=9",
        "query, sig=, sig=A",
    })
    void tamperingWithAnyFieldBreaksTheSignature(String where, String from, String to) {
        String url = signer.sign(grant).toString();
        String tampered;
        if (from.endsWith("=")) {
            // Change the first character of that parameter's value.
            int at = url.indexOf(from) + from.length();
            char c = url.charAt(at);
            char replacement = to.charAt(to.length() - 1) == c ? 'B' : to.charAt(to.length() - 1);
            tampered = url.substring(0, at) + replacement + url.substring(at + 1);
        } else {
            assertThat(url).contains(from);
            tampered = url.replace(from, to);
        }
        assertThat(tampered).isNotEqualTo(url);
        assertRejected(UploadUrlException.Reason.BAD_SIGNATURE, () -> signer.verify(URI.create(tampered), NOW));
    }

    @Test
    void extendingTheExpiryIsTampering() {
        URI url = signer.sign(grant);
        String later = url.toString().replace("expires=" + EXPIRES.getEpochSecond(),
                "expires=" + (EXPIRES.getEpochSecond() + 86_400));
        // Even verified after the real expiry, the answer is "tampered", not "expired".
        assertRejected(UploadUrlException.Reason.BAD_SIGNATURE,
                () -> signer.verify(URI.create(later), EXPIRES.plusSeconds(10)));
    }

    @Test
    void everySignatureCharacterMatters() {
        String url = signer.sign(grant).toString();
        int sigStart = url.indexOf("sig=") + 4;
        for (int i = sigStart; i < url.length(); i++) {
            char c = url.charAt(i);
            String flipped = url.substring(0, i) + (c == 'A' ? 'B' : 'A') + url.substring(i + 1);
            assertRejected(UploadUrlException.Reason.BAD_SIGNATURE, () -> signer.verify(URI.create(flipped), NOW));
        }
        assertRejected(UploadUrlException.Reason.BAD_SIGNATURE,
                () -> signer.verify(URI.create(url.substring(0, url.length() - 1)), NOW));
    }

    @Test
    void aUrlSignedWithAnotherSecretIsRejected() {
        UploadUrlSigner other = new UploadUrlSigner(BASE, SigningKeys.of("k1", Map.of("k1", SECRET_2)));
        assertRejected(UploadUrlException.Reason.BAD_SIGNATURE, () -> signer.verify(other.sign(grant), NOW));
    }

    @Test
    void keysRotateByKeyId() {
        UploadUrlSigner old = signer;
        UploadUrlSigner rotated = new UploadUrlSigner(BASE,
                SigningKeys.parse("k2:" + b64(SECRET_2) + ",k1:" + b64(SECRET_1)));
        URI oldUrl = old.sign(grant);
        URI newUrl = rotated.sign(grant);

        assertThat(newUrl.toString()).contains("kid=k2");
        assertThat(rotated.verify(oldUrl, NOW)).isEqualTo(grant);
        assertThat(rotated.verify(newUrl, NOW)).isEqualTo(grant);
        assertRejected(UploadUrlException.Reason.UNKNOWN_KEY, () -> old.verify(newUrl, NOW));
        // Claiming another key id for the same signature does not verify.
        assertRejected(UploadUrlException.Reason.BAD_SIGNATURE,
                () -> rotated.verify(URI.create(oldUrl.toString().replace("kid=k1", "kid=k2")), NOW));
    }

    @Test
    void malformedUrlsAreRejectedAsMalformed() {
        String url = signer.sign(grant).toString();
        String base = "https://api.example.com/v1/files/uploads/";
        for (String bad : List.of(
                url.replaceAll("&sig=[^&]*", ""),
                url.replace("account=acct_42&", ""),
                url + "&size=1",
                url.replace("size=5000000", "size=abc"),
                url.replace("size=5000000", "size=-5"),
                url.replace("size=5000000", "size=05000000"),
                url.replace("expires=", "expires=x"),
                url.replace("type=audio%2Fmpeg", "type=audio"),
                base + "?" + url.substring(url.indexOf('?') + 1),
                base + "bad%20id?" + url.substring(url.indexOf('?') + 1))) {
            assertRejected(UploadUrlException.Reason.MALFORMED, () -> signer.verify(URI.create(bad), NOW));
        }
        assertRejected(UploadUrlException.Reason.MALFORMED, () -> signer.verifyRaw("/v1/files/uploads/x", null, NOW));
        // A bad escape never gets past java.net.URI, but a raw request line can carry one.
        String query = url.substring(url.indexOf('?') + 1).replace("account=acct_42", "account=%zz");
        assertRejected(UploadUrlException.Reason.MALFORMED,
                () -> signer.verifyRaw("/v1/files/uploads/file_abc123", query, NOW));
    }

    @Test
    void weakOrMisconfiguredKeysAreRefused() {
        assertThatThrownBy(() -> SigningKeys.of("k1", Map.of("k1", new byte[16])))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> SigningKeys.of("k9", Map.of("k1", SECRET_1)))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> SigningKeys.parse("k1:not base64!")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new UploadUrlSigner(URI.create("/relative"), signerKeys()))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void failureReasonsHaveStableCodesAndStatuses() {
        assertThat(UploadUrlException.Reason.EXPIRED.code()).isEqualTo("upload_url_expired");
        assertThat(UploadUrlException.Reason.BAD_SIGNATURE.httpStatus()).isEqualTo(403);
        assertThat(UploadUrlException.Reason.MALFORMED.httpStatus()).isEqualTo(400);
    }

    private static SigningKeys signerKeys() {
        return SigningKeys.of("k1", Map.of("k1", SECRET_1));
    }

    private static String b64(byte[] secret) {
        return java.util.Base64.getEncoder().encodeToString(secret);
    }
}
