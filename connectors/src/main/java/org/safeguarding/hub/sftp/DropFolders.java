package org.safeguarding.hub.sftp;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Where the SFTP drop keeps files, under {@code <dataDirectory>/sftp/}: each partner's home
 * {@code <partnerId>/} with {@code inbound/} and {@code outbound/} (all the partner sees), and the claimed
 * files {@code .processing/<partnerId>/}, outside the partner's reach so a claimed file cannot be changed
 * or removed while intake reads it. Files here are sealed envelopes and receipts: never decrypted content.
 */
public final class DropFolders {
    public static final String INBOUND = "inbound";
    public static final String OUTBOUND = "outbound";
    public static final String RECEIPT_SUFFIX = ".receipt.json";
    public static final String ERROR_SUFFIX = ".error.json";
    private static final Pattern ACCOUNT = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_-]{0,99}");
    private static final String PROCESSING = ".processing";

    private final Path root;

    public DropFolders(Path root) {
        this.root = root.toAbsolutePath().normalize();
    }

    /** A partner id usable as an account and folder name: letters, digits, '-' and '_', no dots or slashes. */
    public static boolean isAccountName(String name) {
        return name != null && ACCOUNT.matcher(name).matches();
    }

    /** A dropped file that is processed: a plain name ending in {@code .p7m}; other names (a client's temporary upload names) wait. */
    public static boolean isDropName(String name) {
        return name != null && !name.startsWith(".") && name.indexOf('/') < 0 && name.indexOf('\\') < 0
                && name.toLowerCase(Locale.ROOT).endsWith(".p7m") && name.length() > 4;
    }

    public Path root() {
        return root;
    }

    public Path home(String partnerId) {
        return root.resolve(requireAccount(partnerId));
    }

    public Path inbound(String partnerId) {
        return home(partnerId).resolve(INBOUND);
    }

    public Path outbound(String partnerId) {
        return home(partnerId).resolve(OUTBOUND);
    }

    public Path claimed(String partnerId) {
        return root.resolve(PROCESSING).resolve(requireAccount(partnerId));
    }

    /** Creates the partner's folders if they are missing and answers its home. */
    public Path ensure(String partnerId) throws IOException {
        Files.createDirectories(inbound(partnerId));
        Files.createDirectories(outbound(partnerId));
        Files.createDirectories(claimed(partnerId));
        return home(partnerId);
    }

    /** Every partner that has a home folder. */
    public List<String> partners() throws IOException {
        if (!Files.isDirectory(root)) {
            return List.of();
        }
        try (Stream<Path> s = Files.list(root)) {
            return s.filter(Files::isDirectory).map(p -> p.getFileName().toString())
                    .filter(DropFolders::isAccountName).sorted().toList();
        }
    }

    /** The drop names (sorted) directly in {@code dir}; none when it does not exist. */
    static List<String> dropNames(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(Files::isRegularFile).map(p -> p.getFileName().toString())
                    .filter(DropFolders::isDropName).sorted().toList();
        }
    }

    private static String requireAccount(String partnerId) {
        if (!isAccountName(partnerId)) {
            throw new IllegalArgumentException("not an SFTP account name");
        }
        return partnerId;
    }
}
