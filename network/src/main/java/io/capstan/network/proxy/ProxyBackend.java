package io.capstan.network.proxy;

/** What programs the model on the node: iptables rules, or the userspace forwarder. */
interface ProxyBackend extends AutoCloseable {

    void sync(ProxyModel model);

    @Override
    void close();
}
