package io.tonearm.sinks.fetch;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Strict IP-literal parsing that never consults DNS.
 *
 * <p>Why strict: hosts such as {@code 2130706433}, {@code 0177.0.0.1}, {@code 0x7f.1} or {@code 127.1} are read
 * differently by different parsers. The JDK reads {@code 2130706433} and {@code 127.1} as 127.0.0.1 but
 * {@code 0177.0.0.1} as 177.0.0.1 (decimal), while browsers and curl read it as octal 127.0.0.1; OkHttp hands
 * anything made of digits and dots to {@code InetAddress.getByName}. Only the canonical dotted quad (four decimal
 * parts, no leading zeros) and bracket-free IPv6 text are accepted as literals; {@link #looksNumeric} lets the
 * caller refuse every other numeric-looking host instead of guessing what it means.
 */
final class IpLiterals {
    private static final String OCTET = "(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)";
    private static final Pattern DOTTED_QUAD = Pattern.compile(OCTET + "(\\." + OCTET + "){3}");
    private static final Pattern IPV6_CHARS = Pattern.compile("[0-9a-fA-F:.]+");
    private static final Pattern NUMERIC_LABEL = Pattern.compile("\\d+|0[xX][0-9a-fA-F]*");

    private IpLiterals() {
    }

    /**
     * The address if {@code host} is a canonical IPv4 dotted quad or an IPv6 literal (with or without brackets,
     * without a zone id); empty for anything else.
     */
    static Optional<InetAddress> parse(String host) {
        String h = host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
        try {
            if (DOTTED_QUAD.matcher(h).matches()) {
                String[] parts = h.split("\\.");
                byte[] bytes = new byte[4];
                for (int i = 0; i < 4; i++) {
                    bytes[i] = (byte) Integer.parseInt(parts[i]);
                }
                return Optional.of(InetAddress.getByAddress(bytes));
            }
            if (h.indexOf(':') >= 0 && IPV6_CHARS.matcher(h).matches()) {
                // Contains ':' so the JDK parses it as an IPv6 literal and never resolves it.
                return Optional.of(InetAddress.getByName(h));
            }
        } catch (UnknownHostException e) {
            return Optional.empty();
        }
        return Optional.empty();
    }

    /**
     * True when some parser would treat {@code host} as an IPv4 number (the WHATWG URL rule: its last label is
     * decimal digits or {@code 0x}-hex), or when any label is {@code 0x}-hex.
     */
    static boolean looksNumeric(String host) {
        String h = host.endsWith(".") ? host.substring(0, host.length() - 1) : host;
        String[] labels = h.split("\\.", -1);
        if (labels.length > 0 && NUMERIC_LABEL.matcher(labels[labels.length - 1]).matches()) {
            return true;
        }
        for (String label : labels) {
            if (label.length() > 1 && (label.startsWith("0x") || label.startsWith("0X"))
                    && NUMERIC_LABEL.matcher(label).matches()) {
                return true;
            }
        }
        return false;
    }
}
