package io.ethling.tools;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.ethling.hal.Buttons;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Executors;

/**
 * {@code ethling emulate --web PORT}: the emulated board as a web page on 127.0.0.1 — the LCD, its
 * five buttons, and the last fetch's journey as the SVG ladder. The server's thread only presses
 * buttons and reads what the loop published; it never touches the stack.
 *
 * <pre>
 * GET  /                 the board (refreshes itself every second)
 * POST /press?b=NAME     press UP, DOWN, LEFT, RIGHT or SELECT, then back to / (303)
 * GET  /lcd.txt          the LCD's two rows, one per line
 * GET  /journey.svg      the last fetch's ladder (204 before the first)
 * </pre>
 */
final class WebBoard {

    private final HttpServer server;
    private final EmulatedApp board;

    private WebBoard(HttpServer server, EmulatedApp board) {
        this.server = server;
        this.board = board;
    }

    static WebBoard start(EmulatedApp board, int port) throws IOException {
        HttpServer server;
        try {
            server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 8);
        } catch (java.net.BindException e) {
            throw new IllegalArgumentException("--web " + port + ": port in use or not allowed (" + e.getMessage() + ")");
        }
        WebBoard w = new WebBoard(server, board);
        server.createContext("/", w::handle);
        server.setExecutor(Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "ethling-web");
            t.setDaemon(true);
            return t;
        }));
        server.start();
        return w;
    }

    int port() {
        return server.getAddress().getPort();
    }

    void stop() {
        server.stop(0);
    }

    private void handle(HttpExchange ex) throws IOException {
        try (ex) {
            String path = ex.getRequestURI().getPath();
            switch (path) {
                case "/" -> send(ex, 200, "text/html; charset=utf-8", page());
                case "/lcd.txt" -> {
                    String[] rows = board.rows();
                    send(ex, 200, "text/plain; charset=utf-8", rows[0] + "\n" + rows[1] + "\n");
                }
                case "/journey.svg" -> {
                    String svg = board.journeySvg();
                    if (svg.isEmpty()) {
                        ex.sendResponseHeaders(204, -1);
                    } else {
                        send(ex, 200, "image/svg+xml", svg);
                    }
                }
                case "/press" -> {
                    if (!ex.getRequestMethod().equals("POST")) {
                        ex.getResponseHeaders().set("Allow", "POST");
                        send(ex, 405, "text/plain; charset=utf-8", "POST /press?b=UP|DOWN|LEFT|RIGHT|SELECT\n");
                        return;
                    }
                    int button = button(ex.getRequestURI().getQuery());
                    if (button == 0) {
                        send(ex, 400, "text/plain; charset=utf-8", "press?b=UP|DOWN|LEFT|RIGHT|SELECT\n");
                        return;
                    }
                    board.press(button, 80);
                    ex.getResponseHeaders().set("Location", "/");
                    ex.sendResponseHeaders(303, -1);
                }
                default -> send(ex, 404, "text/plain; charset=utf-8", "not found\n");
            }
        }
    }

    private static int button(String query) {
        if (query == null || !query.startsWith("b=")) {
            return 0;
        }
        return switch (query.substring(2)) {
            case "UP" -> Buttons.UP;
            case "DOWN" -> Buttons.DOWN;
            case "LEFT" -> Buttons.LEFT;
            case "RIGHT" -> Buttons.RIGHT;
            case "SELECT" -> Buttons.SELECT;
            default -> 0;
        };
    }

    private String page() {
        String[] rows = board.rows();
        String svg = board.journeySvg();
        StringBuilder sb = new StringBuilder(4096 + svg.length());
        sb.append("<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\"><title>ethling board</title>\n")
          .append("<meta http-equiv=\"refresh\" content=\"1\">\n<style>\n")
          .append("body{font-family:sans-serif;background:#f4f4f0;margin:24px}\n")
          .append(".plate{display:inline-block;background:#1b2a1b;padding:18px;border-radius:10px}\n")
          .append(".lcd{background:#7fbf3f;color:#10200a;font:28px/1.2 monospace;padding:10px 14px;white-space:pre;border:4px solid #0b130b}\n")
          .append(".keys{margin-top:12px;display:grid;grid-template-columns:repeat(3,80px);gap:6px}\n")
          .append(".keys form{margin:0}.keys button{width:100%;background:#333;color:#fff;padding:8px 0;border:0;border-radius:6px;font-size:15px}\n")
          .append(".journey{margin-top:20px;background:#fff;border:1px solid #ccc;display:inline-block}\n</style></head>\n<body>\n")
          .append("<h1>ethling — the emulated board</h1>\n<div class=\"plate\"><div class=\"lcd\" id=\"lcd\">")
          .append(html(rows[0])).append('\n').append(html(rows[1])).append("</div>\n<div class=\"keys\">")
          .append("<span></span>").append(key("UP")).append("<span></span>")
          .append(key("LEFT")).append(key("SELECT")).append(key("RIGHT"))
          .append("<span></span>").append(key("DOWN")).append("<span></span></div></div>\n")
          .append("<p>fetches: ").append(board.fetchesDone()).append("</p>\n");
        if (!svg.isEmpty()) {
            sb.append("<h2>The last fetch's journey</h2>\n<div class=\"journey\">").append(stripXmlDeclaration(svg)).append("</div>\n");
        }
        sb.append("</body></html>\n");
        return sb.toString();
    }

    /** A button is a form: pressing changes the board, so it is a POST (RFC 9110 §9.2.1: GET is safe). */
    private static String key(String name) {
        return "<form method=\"post\" action=\"/press?b=" + name + "\"><button id=\"" + name + "\">" + name + "</button></form>";
    }

    private static String stripXmlDeclaration(String svg) {
        return svg.startsWith("<?xml") ? svg.substring(svg.indexOf("?>") + 2) : svg;
    }

    private static String html(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
    }

    private static void send(HttpExchange ex, int code, String type, String body) throws IOException {
        byte[] b = body.getBytes(StandardCharsets.UTF_8);
        ex.getResponseHeaders().set("Content-Type", type);
        ex.getResponseHeaders().set("Cache-Control", "no-store");
        ex.sendResponseHeaders(code, b.length);
        try (OutputStream os = ex.getResponseBody()) {
            os.write(b);
        }
    }
}
