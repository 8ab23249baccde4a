package io.capstan.apiserver.proxy;

/**
 * What follows {@code .../RESOURCE/NAME/proxy} in a request path, which the backend is asked for. Empty means
 * the client stopped at "proxy": kube-apiserver then redirects to the same path with a slash.
 */
final class ProxyPath {

    private ProxyPath() {}

    /** The rest of the path after RESOURCE/NAME/proxy, "" when nothing follows (not even a slash). */
    static String rest(String path, String resource, String name) {
        String marker = "/" + resource + "/" + name + "/proxy";
        int at = path.indexOf(marker);
        if (at < 0) {
            return "";
        }
        return path.substring(at + marker.length());
    }
}
