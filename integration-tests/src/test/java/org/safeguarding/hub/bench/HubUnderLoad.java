package org.safeguarding.hub.bench;

import java.net.URI;
import java.util.List;

/** What the load benchmark drives: one hub process, or a cluster of hub nodes on a broker pair and PostgreSQL. */
interface HubUnderLoad extends AutoCloseable {
    /** The HTTPS base URL of each node that takes submissions. */
    List<URI> bases();

    /** Where the recipients' consumers connect: one {@code tcp://host:port}, or a pair's two (with {@code ?name=}). */
    List<String> consumerServers();

    /** The CORE connector options the consumers add (failover between brokers, or none). */
    String consumerOptions();

    /** CPU used so far by every process of the hub (nodes, brokers, database), in nanoseconds; -1 when unknown. */
    long cpuNanos();

    /** CPU used so far by the hub JVMs' JIT compiler threads (a lower bound); -1 when unknown. */
    long jitCpuNanos();

    boolean alive();

    /** The last lines of the (first) hub log. */
    String tail();

    /** One line: what runs, where. */
    String describe();

    @Override
    void close();
}
