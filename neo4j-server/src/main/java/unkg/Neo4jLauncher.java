package unkg;

import java.io.InputStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;

import org.neo4j.configuration.GraphDatabaseSettings;
import org.neo4j.configuration.connectors.BoltConnector;
import org.neo4j.configuration.connectors.HttpConnector;
import org.neo4j.configuration.connectors.HttpsConnector;
import org.neo4j.configuration.helpers.SocketAddress;
import org.neo4j.dbms.api.DatabaseManagementService;
import org.neo4j.dbms.api.DatabaseManagementServiceBuilder;
import org.neo4j.graphdb.GraphDatabaseService;

/**
 * A Neo4j Community 5 server for tests and local use: Bolt with authentication on
 * 127.0.0.1:PORT, data in DATA_DIR, the user "neo4j" with the given password.
 *
 * <p>Usage: {@code java -Xmx1g -cp 'target/classes:target/lib/*' unkg.Neo4jLauncher PORT DATA_DIR PASSWORD [PAGECACHE]}
 * (the password may also come from NEO4J_PASSWORD when the third argument is "-").
 * Prints {@code NEO4J READY bolt://127.0.0.1:PORT} once clients can log in, and shuts
 * down cleanly on SIGTERM / Ctrl-C or when its standard input closes (so a parent
 * that dies takes the server with it).
 */
public final class Neo4jLauncher {
    private Neo4jLauncher() {}

    public static void main(String[] args) throws Exception {
        if (args.length < 3) {
            System.err.println("usage: Neo4jLauncher PORT DATA_DIR PASSWORD|- [PAGECACHE, e.g. 256m]");
            System.exit(2);
        }
        int port = Integer.parseInt(args[0]);
        Path home = Path.of(args[1]).toAbsolutePath();
        String password = "-".equals(args[2]) ? System.getenv("NEO4J_PASSWORD") : args[2];
        if (password == null || password.length() < 8) {
            System.err.println("the password must have at least 8 characters (Neo4j's minimum)");
            System.exit(2);
        }
        String pageCache = args.length > 3 ? args[3] : "256m";

        DatabaseManagementService dbms = new DatabaseManagementServiceBuilder(home)
                .setConfig(BoltConnector.enabled, true)
                .setConfig(BoltConnector.listen_address, new SocketAddress("127.0.0.1", port))
                .setConfig(BoltConnector.advertised_address, new SocketAddress("127.0.0.1", port))
                .setConfig(HttpConnector.enabled, false)
                .setConfig(HttpsConnector.enabled, false)
                .setConfig(GraphDatabaseSettings.auth_enabled, true)
                .setConfig(GraphDatabaseSettings.pagecache_memory, parseBytes(pageCache))
                .setConfig(GraphDatabaseSettings.shutdown_transaction_end_timeout, Duration.ofSeconds(2))
                .build();

        AtomicBoolean stopped = new AtomicBoolean(false);
        CountDownLatch done = new CountDownLatch(1);
        Runnable stop = () -> {
            if (stopped.compareAndSet(false, true)) {
                try {
                    dbms.shutdown();
                } finally {
                    done.countDown();
                }
            }
        };
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            stop.run();
            try {
                done.await();
            } catch (InterruptedException ignored) {
                Thread.currentThread().interrupt();
            }
        }, "neo4j-shutdown"));

        // The initial user must change its password before it may do anything: set it
        // here (idempotent on a data dir that already has it).
        GraphDatabaseService system = dbms.database(GraphDatabaseSettings.SYSTEM_DATABASE_NAME);
        try {
            system.executeTransactionally("ALTER USER neo4j SET PASSWORD $p CHANGE NOT REQUIRED",
                    java.util.Map.of("p", password));
        } catch (org.neo4j.graphdb.QueryExecutionException e) {
            // a data dir that already has this password (a restart) says so; anything else is an error
            if (e.getMessage() == null || !e.getMessage().contains("cannot be the same")) {
                throw e;
            }
        }

        System.out.println("NEO4J READY bolt://127.0.0.1:" + port);
        System.out.flush();

        Thread stdinWatch = new Thread(() -> {
            try (InputStream in = System.in) {
                byte[] buf = new byte[256];
                while (in.read(buf) >= 0) {
                    // keep reading until the parent closes the pipe
                }
            } catch (Exception ignored) {
                // a closed or broken stdin means the same
            }
            System.exit(0);  // runs the shutdown hook
        }, "stdin-watch");
        stdinWatch.setDaemon(true);
        if (!"1".equals(System.getenv("NEO4J_LAUNCHER_IGNORE_STDIN"))) {
            stdinWatch.start();
        }
        done.await();
        System.out.println("NEO4J STOPPED");
        System.out.flush();
    }

    static long parseBytes(String s) {
        String t = s.trim().toLowerCase();
        long mult = 1;
        char last = t.charAt(t.length() - 1);
        if (last == 'k' || last == 'm' || last == 'g') {
            mult = last == 'k' ? 1024L : last == 'm' ? 1024L * 1024 : 1024L * 1024 * 1024;
            t = t.substring(0, t.length() - 1);
        }
        return Long.parseLong(t) * mult;
    }
}
