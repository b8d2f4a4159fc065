package io.aichatbot.web;

import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayDeque;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The chat page's assets under a versioned path, for long caching.
 *
 * <p>The version is a hash of index.html and every file it reaches (its stylesheet and script,
 * and the modules those import), so any change to any of them yields new URLs. index.html is
 * served with its references rewritten to {@code /assets/<version>/...} and must be revalidated;
 * the versioned files are immutable for a year. Modules import each other by relative path, so
 * they resolve under the same versioned prefix on their own. Immutable after construction.
 */
final class StaticAssets {

    private static final Pattern PAGE_REFERENCE = Pattern.compile("(href|src)=\"(?!/|#|https?:)([^\"]+\\.(?:css|js))\"");
    private static final Pattern IMPORT = Pattern.compile("from\\s+'\\./([^']+\\.js)'");
    private static final Map<String, String> TYPES = Map.of("js", "text/javascript; charset=utf-8",
            "css", "text/css; charset=utf-8", "html", "text/html; charset=utf-8", "png", "image/png", "svg", "image/svg+xml");

    private final String version;
    private final String page;

    StaticAssets() {
        String index = read("index.html");
        Set<String> files = reachableFrom(index);
        this.version = hash(index, files);
        this.page = PAGE_REFERENCE.matcher(index).replaceAll("$1=\"/assets/" + version + "/$2\"");
    }

    void register(RoutesConfig routes) {
        routes.get("/", this::page);
        routes.get("/index.html", this::page);
        routes.get("/assets/{version}/<path>", this::asset);
        routes.get("/admin/{file}", ctx -> plain(ctx, "admin/" + ctx.pathParam("file")));
        // Unversioned copies of the page's own files, for tools and tests that load a module directly.
        routes.get("/js/{file}", ctx -> plain(ctx, "js/" + ctx.pathParam("file")));
        routes.get("/app.css", ctx -> plain(ctx, "app.css"));
    }

    /**
     * Unversioned files (the admin page), revalidated on every load. Served from the class path
     * directly rather than by a static-file handler: Jetty would mount the whole jar as a zip
     * file system and keep an index of its tens of thousands of entries on the heap.
     */
    private void plain(Context ctx, String path) {
        byte[] bytes = path.matches("[A-Za-z0-9_-]+(/[A-Za-z0-9_-]+)*\\.(html|js|css)") ? bytes(path) : null;
        if (bytes == null) {
            throw new ApiException(404, "route_not_found", "no such endpoint: GET " + ctx.path());
        }
        headers(ctx);
        ctx.header("Cache-Control", "no-cache");
        ctx.contentType(TYPES.get(path.substring(path.lastIndexOf('.') + 1))).result(bytes);
    }

    private void page(Context ctx) {
        headers(ctx);
        ctx.header("Cache-Control", "no-cache"); // revalidate the page; everything it names is immutable
        ctx.contentType(TYPES.get("html")).result(page);
    }

    private void asset(Context ctx) {
        String path = ctx.pathParam("path");
        if (path.contains("..") || path.startsWith("/") || !path.matches("[A-Za-z0-9_./-]+")) {
            throw new ApiException(404, "not_found", "no such asset");
        }
        byte[] bytes = bytes(path);
        if (bytes == null) {
            throw new ApiException(404, "not_found", "no such asset");
        }
        headers(ctx);
        // Only this build's version is cached for good; an old version is served but revalidated.
        ctx.header("Cache-Control", ctx.pathParam("version").equals(version) ? "public, max-age=31536000, immutable" : "no-cache");
        String extension = path.substring(path.lastIndexOf('.') + 1);
        ctx.contentType(TYPES.getOrDefault(extension, "application/octet-stream")).result(bytes);
    }

    private static void headers(Context ctx) {
        ctx.header("Content-Security-Policy", WebServer.CONTENT_SECURITY_POLICY);
        ctx.header("X-Content-Type-Options", "nosniff");
        ctx.header("Referrer-Policy", "no-referrer");
    }

    /** index.html's stylesheet and script, then every module reachable by relative import. */
    private static Set<String> reachableFrom(String index) {
        Set<String> found = new LinkedHashSet<>();
        var queue = new ArrayDeque<String>();
        Matcher page = PAGE_REFERENCE.matcher(index);
        while (page.find()) {
            queue.add(page.group(2));
        }
        while (!queue.isEmpty()) {
            String file = queue.poll();
            if (!found.add(file) || !file.endsWith(".js")) {
                continue;
            }
            String dir = file.contains("/") ? file.substring(0, file.lastIndexOf('/') + 1) : "";
            Matcher imports = IMPORT.matcher(read(file));
            while (imports.find()) {
                queue.add(dir + imports.group(1));
            }
        }
        return found;
    }

    private static String hash(String index, Set<String> files) {
        try {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            digest.update(index.getBytes(StandardCharsets.UTF_8));
            for (String file : files) {
                digest.update(file.getBytes(StandardCharsets.UTF_8));
                digest.update(bytes(file));
            }
            return HexFormat.of().formatHex(digest.digest()).substring(0, 12);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }

    private static String read(String path) {
        byte[] bytes = bytes(path);
        if (bytes == null) {
            throw new IllegalStateException("web/" + path + " is missing from the jar");
        }
        return new String(bytes, StandardCharsets.UTF_8);
    }

    private static byte[] bytes(String path) {
        try (InputStream in = StaticAssets.class.getResourceAsStream("/web/" + path)) {
            return in == null ? null : in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
