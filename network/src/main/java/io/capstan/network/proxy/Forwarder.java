package io.capstan.network.proxy;

/** One listening socket of the userspace proxy. */
interface Forwarder extends AutoCloseable {

    @Override
    void close();
}
