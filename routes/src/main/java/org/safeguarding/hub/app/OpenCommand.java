package org.safeguarding.hub.app;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.safeguarding.hub.crypto.CryptoException;
import org.safeguarding.hub.crypto.Identity;
import org.safeguarding.hub.error.ErrorCode;
import org.safeguarding.hub.error.HubException;
import org.safeguarding.hub.inbox.PackageOpener;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code ./hub open}: recipient side, decrypt a package, check that the hub signed it, save or print the JSON. */
@Command(name = "open", mixinStandardHelpOptions = true,
        description = "Decrypt a package, verify the hub's signature against the partnership CA, and save the JSON.")
final class OpenCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--in", required = true, paramLabel = "FILE.p7m", description = "The package, as fetched from the inbox.")
    Path in;

    @Mixin
    ParticipantKeyOptions me;

    @Option(names = "--ca", required = true, paramLabel = "ca.pem",
            description = "The partnership CA, which the hub's signing certificate must be issued by.")
    Path ca;

    @Option(names = "--out", paramLabel = "FILE", description = "Where to save the JSON (readable by you alone).")
    Path out;

    @Option(names = "--print", description = "Print the decrypted JSON (it is intelligence: only where that is safe).")
    boolean print;

    @Override
    public Integer call() throws Exception {
        if (out == null && !print) {
            throw new HubException(ErrorCode.BAD_REQUEST, "say where the decrypted package goes: --out FILE, or --print.");
        }
        Identity identity = me.load();
        byte[] json = open(Files.readAllBytes(in), identity, ca);
        if (out != null) {
            Path folder = out.toAbsolutePath().getParent();
            if (folder != null) {
                PrivateFiles.createFolder(folder);
            }
            PrivateFiles.write(out, json);
            spec.commandLine().getOut().printf("opened and verified; saved to %s%n", out);
        }
        if (print) {
            spec.commandLine().getOut().println(new String(json, StandardCharsets.UTF_8));
        }
        return 0;
    }

    /** Decrypts with the recipient's key and requires the hub's signature ({@link PackageOpener#open}). */
    static byte[] open(byte[] sealed, Identity me, Path ca) throws CryptoException {
        return PackageOpener.open(sealed, me, ca);
    }
}
