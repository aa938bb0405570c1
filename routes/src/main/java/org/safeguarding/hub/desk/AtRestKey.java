package org.safeguarding.hub.desk;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.EnumSet;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import org.safeguarding.hub.app.PrivateFiles;
import org.safeguarding.hub.error.ErrorCode;
import org.safeguarding.hub.error.HubException;

/**
 * The desk's own key for what it keeps: 32 random bytes in {@code desk.key} (0600) in its data folder, made on first
 * start. Each stored file is AES-256-GCM under it: {@code DSK1}, a fresh 12-byte nonce, then the ciphertext and its
 * 16-byte tag, with the package id as associated data (a file renamed to another package's name does not open).
 */
final class AtRestKey {
    static final String FILE = "desk.key";
    private static final byte[] MAGIC = "DSK1".getBytes(StandardCharsets.US_ASCII);
    private static final int NONCE = 12;
    private static final int TAG_BITS = 128;
    private static final SecureRandom RANDOM = new SecureRandom();

    private final SecretKeySpec key;

    private AtRestKey(byte[] raw) {
        this.key = new SecretKeySpec(raw, "AES");
        Arrays.fill(raw, (byte) 0);
    }

    /** The key in {@code dir}, made there (0600) when there is none; one of another length or wider mode is refused. */
    static AtRestKey loadOrCreate(Path dir) throws IOException {
        Path file = dir.resolve(FILE);
        if (!Files.exists(file)) {
            byte[] raw = new byte[32];
            RANDOM.nextBytes(raw);
            PrivateFiles.write(file, raw);
            return new AtRestKey(raw);
        }
        if (file.getFileSystem().supportedFileAttributeViews().contains("posix")
                && !java.util.Collections.disjoint(Files.getPosixFilePermissions(file), EnumSet.complementOf(
                        EnumSet.of(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE)))) {
            throw new HubException(ErrorCode.BAD_REQUEST, "the desk's key " + file + " can be read by others: run"
                    + " chmod 600 on it (and consider what was kept under it compromised).");
        }
        byte[] raw = Files.readAllBytes(file);
        if (raw.length != 32) {
            throw new HubException(ErrorCode.BAD_REQUEST, "the desk's key " + file + " is not 32 bytes: it is not a"
                    + " desk key; restore it, or move the data folder aside to start empty.");
        }
        return new AtRestKey(raw);
    }

    byte[] seal(byte[] plain, String packageId) throws GeneralSecurityException {
        byte[] nonce = new byte[NONCE];
        RANDOM.nextBytes(nonce);
        Cipher c = Cipher.getInstance("AES/GCM/NoPadding");
        c.init(Cipher.ENCRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, nonce));
        c.updateAAD(aad(packageId));
        byte[] sealed = c.doFinal(plain);
        return ByteBuffer.allocate(MAGIC.length + NONCE + sealed.length).put(MAGIC).put(nonce).put(sealed).array();
    }

    byte[] open(byte[] file, String packageId) throws GeneralSecurityException {
        if (file.length < MAGIC.length + NONCE + TAG_BITS / 8
                || !Arrays.equals(Arrays.copyOf(file, MAGIC.length), MAGIC)) {
            throw new GeneralSecurityException("not a desk file");
        }
        Cipher c = Cipher.getInstance("AES/GCM/NoPadding");
        c.init(Cipher.DECRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, file, MAGIC.length, NONCE));
        c.updateAAD(aad(packageId));
        return c.doFinal(file, MAGIC.length + NONCE, file.length - MAGIC.length - NONCE);
    }

    private static byte[] aad(String packageId) {
        return ("desk-package|" + packageId).getBytes(StandardCharsets.UTF_8);
    }
}
