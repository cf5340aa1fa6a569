package dev.relgraph;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;

import org.neo4j.configuration.GraphDatabaseInternalSettings;
import org.neo4j.configuration.GraphDatabaseSettings;
import org.neo4j.configuration.connectors.BoltConnector;
import org.neo4j.configuration.helpers.SocketAddress;
import org.neo4j.dbms.api.DatabaseManagementService;
import org.neo4j.dbms.api.DatabaseManagementServiceBuilder;
import org.neo4j.graphdb.GraphDatabaseService;
import org.neo4j.io.ByteUnit;

/**
 * Runs a real embedded Neo4j Community server with Bolt on, for relgraph's tests.
 *
 * <p>Usage: {@code Neo4jLauncher --port N --data DIR [--host 127.0.0.1]}. Prints exactly
 * {@code READY bolt://HOST:PORT} once the default database answers, then serves until stdin
 * reaches EOF or the JVM gets SIGTERM; either way the shutdown hook stops Neo4j cleanly so the
 * store is consistent for a restart. Startup failures print {@code FAILED <reason>} to stderr
 * and exit 1.
 */
public final class Neo4jLauncher {

    private Neo4jLauncher() {}

    public static void main(String[] args) {
        String host = "127.0.0.1";
        int port = -1;
        Path home = null;
        try {
            for (int i = 0; i < args.length; i++) {
                String value = i + 1 < args.length ? args[i + 1] : null;
                switch (args[i]) {
                    case "--port" -> port = Integer.parseInt(require(args[i], value));
                    case "--data" -> home = Path.of(require(args[i], value)).toAbsolutePath();
                    case "--host" -> host = require(args[i], value);
                    default -> throw new IllegalArgumentException("unknown argument " + args[i]);
                }
                i++;
            }
            if (port < 1 || port > 65535) {
                throw new IllegalArgumentException("--port must be 1..65535 (the caller picks a free port)");
            }
            if (home == null) {
                throw new IllegalArgumentException("--data DIR is required");
            }
            Files.createDirectories(home);
        } catch (Exception e) {
            fail("bad arguments: " + e.getMessage(), e);
            return;
        }

        DatabaseManagementService service;
        try {
            checkPortFree(host, port);
            service = start(home, host, port);
        } catch (Throwable e) {
            fail("could not start Neo4j: " + rootCause(e), e);
            return;
        }

        AtomicBoolean stopped = new AtomicBoolean();
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            if (stopped.compareAndSet(false, true)) {
                service.shutdown();
            }
        }, "neo4j-launcher-shutdown"));

        System.out.println("READY bolt://" + host + ":" + port);
        System.out.flush();

        waitForStdinEof();
        System.exit(0); // runs the shutdown hook
    }

    private static DatabaseManagementService start(Path home, String host, int port) {
        SocketAddress address = new SocketAddress(host, port);
        DatabaseManagementService service = new DatabaseManagementServiceBuilder(home)
                .setConfig(BoltConnector.enabled, true)
                .setConfig(BoltConnector.listen_address, address)
                // Advertise the real address so neo4j:// routing tables point back here.
                .setConfig(BoltConnector.advertised_address, address)
                .setConfig(GraphDatabaseSettings.default_advertised_address, new SocketAddress(host))
                .setConfig(GraphDatabaseSettings.auth_enabled, false)
                // Server-side routing (an extra connector, default port 7688) is for clusters;
                // neo4j:// here uses client-side routing, which needs only the Bolt address.
                .setConfig(GraphDatabaseSettings.routing_enabled, false)
                .setConfig(GraphDatabaseSettings.pagecache_memory, ByteUnit.mebiBytes(256))
                .setConfig(GraphDatabaseSettings.keep_logical_logs, "1 files")
                .setConfig(GraphDatabaseSettings.logical_log_rotation_threshold, ByteUnit.mebiBytes(16))
                .setConfig(GraphDatabaseSettings.preallocate_logical_logs, false)
                .setConfig(GraphDatabaseSettings.udc_enabled, false)
                .setConfig(GraphDatabaseSettings.logs_directory, home.resolve("logs"))
                // Netty's default 5 s quiet period (per event loop group) made every stop take
                // ~10 s; a test server has nothing to drain. Internal settings, valid in 5.26.
                .setConfig(GraphDatabaseInternalSettings.netty_server_shutdown_quiet_period, 0)
                .setConfig(GraphDatabaseInternalSettings.netty_server_shutdown_timeout, Duration.ofSeconds(5))
                .build();
        try {
            GraphDatabaseService db = service.database(GraphDatabaseSettings.DEFAULT_DATABASE_NAME);
            if (!db.isAvailable(120_000)) {
                throw new IllegalStateException("default database not available after 120 s");
            }
            Object one = db.executeTransactionally("RETURN 1 AS one", Map.of(),
                    result -> result.next().get("one"));
            if (!Long.valueOf(1).equals(one)) {
                throw new IllegalStateException("RETURN 1 gave " + one);
            }
            return service;
        } catch (RuntimeException e) {
            service.shutdown();
            throw e;
        }
    }

    /** Neo4j binds Bolt only after starting its databases; fail in 1 s rather than 20 s. */
    private static void checkPortFree(String host, int port) throws IOException {
        try (ServerSocket socket = new ServerSocket()) {
            socket.setReuseAddress(true);
            socket.bind(new InetSocketAddress(host, port));
        } catch (IOException e) {
            throw new IOException("cannot bind " + host + ":" + port + ": " + e.getMessage(), e);
        }
    }

    /** Blocks until the parent closes our stdin (or dies), which is the normal stop signal. */
    private static void waitForStdinEof() {
        byte[] buffer = new byte[256];
        try (InputStream in = System.in) {
            while (in.read(buffer) >= 0) {
                // Ignore anything written; only EOF matters.
            }
        } catch (IOException ignored) {
            // A broken stdin means the parent is gone: stop as for EOF.
        }
    }

    private static String require(String flag, String value) {
        if (value == null) {
            throw new IllegalArgumentException(flag + " needs a value");
        }
        return value;
    }

    /** The innermost cause says what went wrong (e.g. "Address already in use"). */
    private static String rootCause(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root.getClass().getSimpleName() + ": " + root.getMessage();
    }

    private static void fail(String reason, Throwable e) {
        System.err.println("FAILED " + reason.replace('\n', ' '));
        e.printStackTrace();
        System.err.flush();
        System.exit(1);
    }
}
