package org.safeguarding.hub.app;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import org.safeguarding.hub.broker.BrokerNode;
import org.safeguarding.hub.broker.BrokerPairConfig;
import org.safeguarding.hub.broker.HubPasswordHash;
import org.safeguarding.hub.error.ErrorCode;
import org.safeguarding.hub.error.HubException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code ./hub broker}: the hub's own standalone Artemis nodes (a live/backup pair) for tests and small deployments;
 * docs/broker-cluster.md. {@code run --config DIR} runs one node from DIR's bootstrap.xml and broker.xml; {@code init
 * --pair} writes both nodes' configuration from a demo PKI; {@code hash-password} makes the hub password's hash for a
 * bootstrap.xml.
 */
@Command(name = "broker", mixinStandardHelpOptions = true,
        description = "A standalone broker node of the hub's (live/backup pair), its configuration, its password hash.",
        subcommands = {BrokerCommand.Run.class, BrokerCommand.Init.class, BrokerCommand.HashPassword.class})
final class BrokerCommand implements Runnable {
    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    @Command(name = "run", mixinStandardHelpOptions = true,
            description = "Run one broker node from DIR/bootstrap.xml and DIR/broker.xml until SIGTERM.")
    static final class Run implements Callable<Integer> {
        @Option(names = "--config", required = true, paramLabel = "DIR",
                description = "The node's directory (as ./hub broker init --pair writes it).")
        Path config;

        @Override
        public Integer call() throws Exception {
            // a broker node's operator needs Artemis's own account of the pair: active (AMQ221007), backup announced
            // and synchronised (AMQ221031, AMQ221024), failing over; the hub keeps Artemis at WARN otherwise
            org.apache.logging.log4j.core.config.Configurator.setLevel("org.apache.activemq.artemis.core.server",
                    org.apache.logging.log4j.Level.INFO);
            BrokerNode node = BrokerNode.start(config);
            CountDownLatch stopped = new CountDownLatch(1);
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                node.close();
                stopped.countDown();
            }, "broker-node-stop"));
            stopped.await();
            return 0;
        }
    }

    @Command(name = "init", mixinStandardHelpOptions = true,
            description = "Write a live/backup pair's configuration (OUT/live, OUT/backup) and the hub's broker"
                    + " password and hub.yaml lines (OUT/hub) from a demo PKI.")
    static final class Init implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Option(names = "--pair", required = true, description = "A live/backup pair (the one layout there is).")
        boolean pair;

        @Option(names = "--pki", required = true, paramLabel = "DIR", description = "The demo PKI (./hub pki init).")
        Path pki;

        @Option(names = "--out", required = true, paramLabel = "DIR", description = "Where to write the pair.")
        Path out;

        @Option(names = "--host", defaultValue = "127.0.0.1", description = "The host both nodes are reached at"
                + " (default ${DEFAULT-VALUE}; for two machines, edit each broker.xml's connectors).")
        String host;

        @Option(names = "--live-ports", defaultValue = "61617,5671", paramLabel = "CORE,AMQP",
                description = "The live node's ports (default ${DEFAULT-VALUE}).")
        String livePorts;

        @Option(names = "--backup-ports", defaultValue = "61618,5672", paramLabel = "CORE,AMQP",
                description = "The backup node's ports (default ${DEFAULT-VALUE}).")
        String backupPorts;

        @Override
        public Integer call() throws Exception {
            if (Files.exists(out.resolve("live").resolve("broker.xml"))) {
                throw new HubException(ErrorCode.BAD_REQUEST, out + " already holds a pair: choose another"
                        + " directory, or remove it to start again.");
            }
            BrokerPairConfig.Result r = BrokerPairConfig.write(BrokerPairConfig.Options.of(pki,
                    DemoData.password(), out, host, node("live", livePorts), node("backup", backupPorts)),
                    Clock.systemUTC());
            var o = spec.commandLine().getOut();
            o.printf("live node in %s, backup node in %s%n", r.liveDirectory(), r.backupDirectory());
            o.printf("run each with: ./hub broker run --config DIR%n");
            o.printf("the hub's hub.yaml (also in %s):%n%s", r.hubPasswordFile().getParent()
                    .resolve("hub-broker.yaml"), r.hubYaml());
            return 0;
        }

        private static BrokerPairConfig.Node node(String name, String ports) {
            String[] p = ports.split(",");
            try {
                return new BrokerPairConfig.Node(name, Integer.parseInt(p[0].strip()), Integer.parseInt(p[1].strip()));
            } catch (RuntimeException e) {
                throw new HubException(ErrorCode.BAD_REQUEST, "--" + name + "-ports must be CORE,AMQP such as"
                        + " 61617,5671");
            }
        }
    }

    @Command(name = "hash-password", mixinStandardHelpOptions = true,
            description = "Read the hub nodes' broker password from standard input (one line) and print its hash for"
                    + " bootstrap.xml's hubPasswordHash.")
    static final class HashPassword implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Override
        public Integer call() throws Exception {
            String line = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8)).readLine();
            if (line == null || line.strip().isEmpty()) {
                throw new HubException(ErrorCode.BAD_REQUEST, "no password on standard input");
            }
            spec.commandLine().getOut().println(HubPasswordHash.hash(line.strip().toCharArray()));
            return 0;
        }
    }
}
