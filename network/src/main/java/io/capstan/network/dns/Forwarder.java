package io.capstan.network.dns;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import org.xbill.DNS.ExtendedResolver;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Record;
import org.xbill.DNS.Resolver;
import org.xbill.DNS.Section;
import org.xbill.DNS.SimpleResolver;
import org.xbill.DNS.Type;

/** Sends questions about names outside the cluster to the upstream resolvers, trying each in turn. */
final class Forwarder {

    private final Resolver resolver;

    /** @param upstreams where to send; none makes every forwarded query fail (SERVFAIL) */
    Forwarder(List<InetSocketAddress> upstreams, Duration timeout) {
        if (upstreams.isEmpty()) {
            resolver = null;
            return;
        }
        Resolver[] each = upstreams.stream().map(a -> {
            SimpleResolver r = new SimpleResolver(a);
            r.setTimeout(timeout);
            return (Resolver) r;
        }).toArray(Resolver[]::new);
        ExtendedResolver all = new ExtendedResolver(each);
        all.setTimeout(timeout);
        all.setRetries(1);
        all.setLoadBalance(false);
        resolver = all;
    }

    boolean usable() {
        return resolver != null;
    }

    /** The upstream's answer to the client's query (id and flags as the upstream set them). */
    Message forward(Message query) throws IOException {
        if (resolver == null) {
            throw new IOException("no upstream resolver");
        }
        return resolver.send(query.clone());
    }

    /** The upstream's records of a type for a name (an ExternalName's target), empty when it has none. */
    List<Record> lookup(Name name, int type) throws IOException {
        if (resolver == null) {
            throw new IOException("no upstream resolver");
        }
        Message answer = resolver.send(Message.newQuery(Record.newRecord(name, type, org.xbill.DNS.DClass.IN)));
        return answer.getSection(Section.ANSWER).stream()
                .filter(r -> r.getType() == type || r.getType() == Type.CNAME).toList();
    }
}
