package io.tonearm.api.files;

import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.util.function.Supplier;

/**
 * {@code POST /v1/files} as a library: validates the request, assigns a file id, and signs an upload URL that
 * expires after the policy's lifetime. Persisting the file record is the caller's job. Thread-safe.
 */
public final class Presigner {
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final char[] BASE32 = "abcdefghijklmnopqrstuvwxyz234567".toCharArray();

    private final PresignPolicy policy;
    private final UploadUrlSigner signer;
    private final Clock clock;
    private final Supplier<String> fileIds;

    public Presigner(PresignPolicy policy, UploadUrlSigner signer, Clock clock) {
        this(policy, signer, clock, Presigner::newFileId);
    }

    public Presigner(PresignPolicy policy, UploadUrlSigner signer, Clock clock, Supplier<String> fileIds) {
        this.policy = policy;
        this.signer = signer;
        this.clock = clock;
        this.fileIds = fileIds;
    }

    /** @throws PresignValidationException when a field is missing or not allowed */
    public PresignedUpload presign(String accountId, PresignRequest request) {
        ValidPresign valid = policy.validate(request);
        Instant expires = Instant.ofEpochSecond(clock.instant().plus(policy.urlLifetime()).getEpochSecond());
        UploadGrant grant = new UploadGrant(fileIds.get(), accountId, valid.fileSize(), valid.contentType(), expires);
        return new PresignedUpload(valid, grant, signer.sign(grant));
    }

    /** {@code file_} and 26 base32 characters (130 random bits). */
    public static String newFileId() {
        StringBuilder id = new StringBuilder("file_");
        for (int i = 0; i < 26; i++) {
            id.append(BASE32[RANDOM.nextInt(32)]);
        }
        return id.toString();
    }
}
