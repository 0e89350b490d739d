package org.careercompass.opensearch;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;

import org.opensearch.common.logging.LogConfigurator;
import org.opensearch.common.settings.Settings;
import org.opensearch.env.Environment;
import org.opensearch.node.InternalSettingsPreparer;
import org.opensearch.node.Node;
import org.opensearch.plugins.Plugin;

/**
 * Starts one OpenSearch 2.19.1 node in this JVM.
 *
 * <p>The stock bootstrap (org.opensearch.bootstrap.OpenSearch) refuses to run as root, and
 * sessions and CI here run as root, so we build the Node ourselves. Modules and the k-NN
 * plugin are passed as classpath plugins because they come from Maven jars, not from an
 * unpacked distribution with a modules/ folder.
 *
 * <p>Arguments: {@code <home> <http-port> <transport-port> [setting=value ...]}. With the three
 * positional arguments alone it is a local, single-node, loopback-only development node. Extra
 * {@code setting=value} arguments override the defaults; naming {@code discovery.seed_hosts}
 * turns single-node discovery off, so several launchers on one machine form a real cluster
 * (scripts/services start opensearch --nodes 3 passes node.name, discovery.seed_hosts and
 * cluster.initial_cluster_manager_nodes).
 */
public final class NodeLauncher {

    private static final List<String> PLUGIN_CLASSES = List.of(
        "org.opensearch.transport.Netty4Plugin",
        "org.opensearch.analysis.common.CommonAnalysisPlugin",
        "org.opensearch.painless.PainlessPlugin",
        "org.opensearch.index.mapper.MapperExtrasPlugin",
        "org.opensearch.index.reindex.ReindexPlugin");

    /** Exposes Node's protected constructor that accepts classpath plugins. */
    static final class ClasspathPluginNode extends Node {
        ClasspathPluginNode(Environment environment, Collection<Class<? extends Plugin>> plugins) {
            super(environment, plugins, true);
        }
    }

    private NodeLauncher() {}

    public static void main(String[] args) throws Exception {
        if (args.length < 3) {
            System.err.println(
                "usage: NodeLauncher <home> <http-port> <transport-port> [setting=value ...]");
            System.exit(64);
        }
        Map<String, String> overrides = new LinkedHashMap<>();
        for (int i = 3; i < args.length; i++) {
            int eq = args[i].indexOf('=');
            if (eq <= 0) {
                System.err.println("NodeLauncher: expected setting=value, got " + args[i]);
                System.exit(64);
            }
            overrides.put(args[i].substring(0, eq), args[i].substring(eq + 1));
        }
        boolean cluster = overrides.containsKey("discovery.seed_hosts");
        String nodeName = overrides.getOrDefault("node.name", "career-compass-node");
        Path home = Path.of(args[0]).toAbsolutePath();
        Files.createDirectories(home.resolve("config"));
        Files.createDirectories(home.resolve("data"));
        Files.createDirectories(home.resolve("logs"));

        Settings.Builder builder = Settings.builder()
            .put("path.home", home.toString())
            .put("path.data", home.resolve("data").toString())
            .put("path.logs", home.resolve("logs").toString())
            .put("cluster.name", "career-compass")
            .put("node.name", nodeName)
            .put("network.host", "127.0.0.1")
            .put("http.port", args[1])
            .put("transport.port", args[2])
            // Dev machines often have a nearly full disk; watermarks would block writes.
            .put("cluster.routing.allocation.disk.threshold_enabled", false);
        if (!cluster) {
            builder.put("discovery.type", "single-node");
            // One node: replicas could never be assigned and would keep health yellow forever.
            builder.put("cluster.default_number_of_replicas", 0);
        }
        for (Map.Entry<String, String> entry : overrides.entrySet()) {
            String value = entry.getValue();
            // List settings (seed hosts, initial cluster managers) arrive comma-separated.
            if (value.contains(",")) {
                builder.putList(entry.getKey(), value.split(","));
            } else {
                builder.put(entry.getKey(), value);
            }
        }
        Settings settings = builder.build();

        LogConfigurator.registerErrorListener();
        Environment environment = InternalSettingsPreparer.prepareEnvironment(
            settings, Collections.emptyMap(), home.resolve("config"), () -> nodeName);
        LogConfigurator.setNodeName(nodeName);
        LogConfigurator.configureWithoutConfig(environment.settings());

        Node node = new ClasspathPluginNode(environment, loadPlugins());
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                node.close();
            } catch (Exception e) {
                e.printStackTrace();
            } finally {
                stopped.countDown();
            }
        }, "opensearch-shutdown"));
        node.start();
        stopped.await();
    }

    @SuppressWarnings("unchecked")
    private static Collection<Class<? extends Plugin>> loadPlugins() throws ClassNotFoundException {
        ClassLoader loader = NodeLauncher.class.getClassLoader();
        java.util.ArrayList<Class<? extends Plugin>> plugins = new java.util.ArrayList<>();
        for (String name : PLUGIN_CLASSES) {
            plugins.add((Class<? extends Plugin>) Class.forName(name, false, loader));
        }
        return plugins;
    }
}
