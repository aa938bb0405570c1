package org.safeguarding.hub.app;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import org.safeguarding.hub.crypto.AlgorithmPolicy;
import org.safeguarding.hub.crypto.CmsSealer;
import org.safeguarding.hub.crypto.ContentEncryption;
import org.safeguarding.hub.crypto.Identity;
import org.safeguarding.hub.crypto.Pem;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code ./hub seal}: partner side, sign a submission file and encrypt it to the hub. */
@Command(name = "seal", mixinStandardHelpOptions = true,
        description = "Sign a submission JSON file as the partner and encrypt it to the hub's certificate.")
final class SealCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--in", required = true, paramLabel = "FILE", description = "The submission JSON.")
    Path in;

    @Mixin
    ParticipantKeyOptions me;

    @Option(names = "--to", required = true, paramLabel = "hub.pem", description = "The hub's certificate.")
    Path hub;

    @Option(names = "--cbc", description = "AES-256-CBC in EnvelopedData instead of AES-256-GCM in AuthEnvelopedData.")
    boolean cbc;

    @Option(names = "--out", required = true, paramLabel = "FILE.p7m",
            description = "Where to write the sealed submission, for ./hub submit.")
    Path out;

    @Override
    public Integer call() throws Exception {
        Identity signer = me.load();
        byte[] sealed = new CmsSealer(AlgorithmPolicy.defaults()).seal(Files.readAllBytes(in), signer,
                List.of(Pem.readCertificate(hub)), cbc ? ContentEncryption.AES_256_CBC : ContentEncryption.AES_256_GCM);
        Files.write(out, sealed);
        spec.commandLine().getOut().printf("sealed %d bytes to %s%n", sealed.length, out);
        return 0;
    }
}
