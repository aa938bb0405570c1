package org.safeguarding.hub.it;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A TCP load balancer with TLS passthrough on loopback, as production puts one in front of the hub nodes: partners
 * authenticate to a node with their client certificate, so the balancer never terminates TLS, it only picks a node
 * for each new connection (round robin, skipping a node that refuses the connection) and copies bytes both ways. A
 * node that dies cuts its connections; the partner's next connection goes to a live node.
 */
final class LoopbackBalancer implements AutoCloseable, PartnerTarget {
    static final Duration RETRY_BACKOFF = Duration.ofMillis(200);
    private final ServerSocket server;
    private final List<Integer> backends;
    private final AtomicInteger next = new AtomicInteger();
    private final Map<Integer, AtomicLong> connections = new ConcurrentHashMap<>();
    private final List<Socket> open = new CopyOnWriteArrayList<>();
    private final Thread acceptor;
    private volatile boolean closed;

    LoopbackBalancer(List<Integer> backendPorts) throws IOException {
        this.backends = List.copyOf(backendPorts);
        backends.forEach(p -> connections.put(p, new AtomicLong()));
        this.server = new ServerSocket(0, 128, InetAddress.getLoopbackAddress());
        this.acceptor = new Thread(this::accept, "balancer-accept");
        acceptor.setDaemon(true);
        acceptor.start();
    }

    int port() {
        return server.getLocalPort();
    }

    @Override
    public String baseUrl() {
        return "https://localhost:" + port() + "/";
    }

    /** A partner's back-off after a cut connection or a 5xx: the next connection goes to another node. */
    @Override
    public boolean awaitUp(Duration timeout) {
        java.util.concurrent.locks.LockSupport.parkNanos(Math.min(timeout.toNanos(), RETRY_BACKOFF.toNanos()));
        return !closed;
    }

    /** Connections handed to each node's port so far. */
    Map<Integer, Long> connectionsPerNode() {
        Map<Integer, Long> out = new java.util.TreeMap<>();
        connections.forEach((p, n) -> out.put(p, n.get()));
        return out;
    }

    private void accept() {
        while (!closed) {
            Socket client;
            try {
                client = server.accept();
            } catch (IOException e) {
                return;
            }
            Socket node = connectToANode();
            if (node == null) {
                closeQuietly(client); // no node up: the partner sees a cut connection and retries
                continue;
            }
            open.add(client);
            open.add(node);
            pipe(client, node);
            pipe(node, client);
        }
    }

    private Socket connectToANode() {
        for (int i = 0; i < backends.size(); i++) {
            int port = backends.get(Math.floorMod(next.getAndIncrement(), backends.size()));
            Socket s = new Socket();
            try {
                s.setTcpNoDelay(true);
                s.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 1000);
                connections.get(port).incrementAndGet();
                return s;
            } catch (IOException refused) {
                closeQuietly(s);
            }
        }
        return null;
    }

    private void pipe(Socket from, Socket to) {
        Thread t = new Thread(() -> {
            byte[] buffer = new byte[16 * 1024];
            try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
                for (int n; (n = in.read(buffer)) >= 0; ) {
                    out.write(buffer, 0, n);
                }
            } catch (IOException cut) {
                // either side went away: both are closed below
            } finally {
                closeQuietly(from);
                closeQuietly(to);
                open.remove(from);
                open.remove(to);
            }
        }, "balancer-pipe");
        t.setDaemon(true);
        t.start();
    }

    private static void closeQuietly(Socket s) {
        try {
            s.close();
        } catch (IOException ignored) {
            // closing anyway
        }
    }

    @Override
    public void close() {
        closed = true;
        try {
            server.close();
        } catch (IOException ignored) {
            // closing anyway
        }
        open.forEach(LoopbackBalancer::closeQuietly);
    }
}
