package org.safeguarding.hub.broker;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilderFactory;
import org.apache.activemq.artemis.core.config.impl.FileConfiguration;
import org.apache.activemq.artemis.core.server.ActiveMQServer;
import org.apache.activemq.artemis.spi.core.security.ActiveMQSecurityManager;
import org.apache.activemq.artemis.core.config.FileDeploymentManager;
import org.safeguarding.hub.error.ErrorCode;
import org.safeguarding.hub.error.HubException;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One standalone broker of the hub's (a node of a live/backup pair) in its own JVM, for tests and small deployments
 * ({@code ./hub broker --config DIR}): reads {@code DIR/bootstrap.xml} as an Artemis distribution does (its
 * {@code <security-manager>} with properties, and {@code <server configuration="file:broker.xml"/>}), and starts the
 * broker with the hub's plugin classes and, as in the embedded broker, every participant session held to its own inbox
 * ({@link GuardedServer}). A stock Artemis distribution with the plugin jar in {@code lib/} reads the same two files.
 */
public final class BrokerNode implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(BrokerNode.class);
    private final ActiveMQServer server;

    private BrokerNode(ActiveMQServer server) {
        this.server = server;
    }

    public static BrokerNode start(Path configDirectory) {
        Path dir = configDirectory.toAbsolutePath().normalize();
        Path bootstrap = dir.resolve("bootstrap.xml");
        if (!Files.isRegularFile(bootstrap)) {
            throw new HubException(ErrorCode.INVALID_CONFIGURATION, bootstrap + ": no such file (./hub broker init)");
        }
        try {
            Document doc = parse(bootstrap);
            Element sm = first(doc, "security-manager");
            Element srv = first(doc, "server");
            if (sm == null || srv == null) {
                throw new HubException(ErrorCode.INVALID_CONFIGURATION, bootstrap
                        + ": needs <security-manager class-name=...> and <server configuration=\"file:broker.xml\"/>");
            }
            Map<String, String> properties = new HashMap<>();
            NodeList props = sm.getElementsByTagNameNS("*", "property");
            for (int i = 0; i < props.getLength(); i++) {
                Element p = (Element) props.item(i);
                properties.put(p.getAttribute("key"), p.getAttribute("value"));
            }
            ActiveMQSecurityManager securityManager = (ActiveMQSecurityManager) Class.forName(sm.getAttribute(
                    "class-name")).getDeclaredConstructor().newInstance();
            securityManager = securityManager.init(properties);
            String configuration = srv.getAttribute("configuration");
            Path brokerXml = dir.resolve(configuration.startsWith("file:") ? configuration.substring(5) : configuration);

            FileConfiguration config = new FileConfiguration();
            FileDeploymentManager deployment = new FileDeploymentManager(brokerXml.toUri().toString());
            deployment.addDeployable(config);
            deployment.readConfiguration();
            BrokerAccessListener listener = BrokerAccessListener.NONE;
            java.util.Set<String> unguarded = new java.util.HashSet<>();
            unguarded.add(config.getClusterUser());
            if (securityManager instanceof ParticipantSecurityManager p) {
                unguarded.add(p.hubUser());
                listener = new BrokerAccessListener() {
                    @Override
                    public void refused(String who, String what) {
                        p.refused(new BrokerRefusal(who, true, null, null, what, 1));
                    }

                    @Override
                    public void refused(BrokerRefusal refusal) {
                        p.refused(refusal);
                    }
                };
            }
            GuardedServer server = new GuardedServer(config, securityManager, new InboxOnlySessions(listener,
                    unguarded::contains));
            server.start();
            LOG.info("broker node {} started from {}", config.getName(), dir);
            return new BrokerNode(server);
        } catch (HubException e) {
            throw e;
        } catch (Exception e) {
            throw new HubException(ErrorCode.UNAVAILABLE, "the broker node in " + dir + " did not start: "
                    + e.getMessage(), e);
        }
    }

    private static Document parse(Path file) throws Exception {
        DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
        f.setNamespaceAware(true);
        f.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
        f.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
        f.setExpandEntityReferences(false);
        return f.newDocumentBuilder().parse(file.toFile());
    }

    private static Element first(Document doc, String name) {
        NodeList l = doc.getElementsByTagNameNS("*", name);
        return l.getLength() == 0 ? null : (Element) l.item(0);
    }

    public ActiveMQServer server() {
        return server;
    }

    @Override
    public void close() {
        try {
            server.stop();
        } catch (Exception e) {
            LOG.warn("the broker node did not stop cleanly: {}", e.toString());
        }
    }

    /** {@code BrokerNode DIR}: runs until stopped (SIGTERM stops it cleanly). */
    public static void main(String[] args) throws InterruptedException {
        if (args.length != 1) {
            System.err.println("usage: BrokerNode CONFIG_DIRECTORY");
            System.exit(2);
        }
        BrokerNode node = start(Path.of(args[0]));
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            node.close();
            stopped.countDown();
        }, "broker-node-stop"));
        stopped.await();
    }
}
