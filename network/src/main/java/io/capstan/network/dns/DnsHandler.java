package io.capstan.network.dns;

import java.io.IOException;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Header;
import org.xbill.DNS.Message;
import org.xbill.DNS.OPTRecord;
import org.xbill.DNS.Opcode;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.Type;

/**
 * Turns one query into one response: the cluster's answer from the current zone, or the upstream's for other names;
 * SERVFAIL when the upstream cannot be reached (or before the first zone is built, so nothing is wrongly denied).
 */
final class DnsHandler {

    private static final Logger LOG = LoggerFactory.getLogger(DnsHandler.class);
    static final int UDP_PLAIN_MAX = 512;
    static final int EDNS_PAYLOAD = 1232;

    private final Supplier<DnsZone> zone;
    private final Forwarder forwarder;
    private final DnsMetrics metrics;

    /** @param zone the current records; null until the caches have synced */
    DnsHandler(Supplier<DnsZone> zone, Forwarder forwarder, DnsMetrics metrics) {
        this.zone = zone;
        this.forwarder = forwarder;
        this.metrics = metrics;
    }

    /** The response's wire form, truncated (TC) to what the client accepts over UDP; null for what cannot be parsed. */
    byte[] handle(byte[] wire, int length, boolean udp) {
        Message query;
        try {
            query = new Message(wire.length == length ? wire : java.util.Arrays.copyOf(wire, length));
        } catch (IOException e) {
            metrics.malformed();
            return null;
        }
        Message response = answer(query);
        int max = 65535;
        if (udp) {
            OPTRecord opt = query.getOPT();
            max = opt == null ? UDP_PLAIN_MAX : Math.max(UDP_PLAIN_MAX, Math.min(opt.getPayloadSize(), EDNS_PAYLOAD));
        }
        byte[] out = response.toWire(max);
        if (out.length > 2 && (out[2] & 0x02) != 0) { // TC: the header's third byte, bit 1
            metrics.truncated();
        }
        return out;
    }

    Message answer(Message query) {
        Record question = query.getQuestion();
        if (query.getHeader().getOpcode() != Opcode.QUERY) {
            return reply(query, Rcode.NOTIMP);
        }
        if (question == null) {
            return reply(query, Rcode.FORMERR);
        }
        DnsZone current = zone.get();
        if (current == null) {
            metrics.answered(Rcode.SERVFAIL, false);
            return reply(query, Rcode.SERVFAIL);
        }
        Answer answer = DnsResolver.resolve(current, question.getName(), question.getType());
        if (answer.forward()) {
            return forward(query);
        }
        Message response = reply(query, answer.rcode());
        response.getHeader().setFlag(Flags.AA);
        answer.answers().forEach(r -> response.addRecord(r, Section.ANSWER));
        answer.authority().forEach(r -> response.addRecord(r, Section.AUTHORITY));
        answer.additional().forEach(r -> response.addRecord(r, Section.ADDITIONAL));
        if (answer.external() != null && question.getType() != Type.CNAME) {
            try {
                forwarder.lookup(answer.external(), question.getType()).forEach(r -> response.addRecord(r, Section.ANSWER));
            } catch (IOException e) {
                // The CNAME alone still tells the client where the name points.
                LOG.debug("could not resolve {} upstream: {}", answer.external(), e.getMessage());
            }
        }
        metrics.answered(answer.rcode(), false);
        return response;
    }

    private Message forward(Message query) {
        try {
            Message upstream = forwarder.forward(query);
            upstream.getHeader().setID(query.getHeader().getID());
            metrics.answered(upstream.getRcode(), true);
            return upstream;
        } catch (IOException e) {
            LOG.debug("forwarding {} failed: {}", query.getQuestion().getName(), e.getMessage());
            metrics.answered(Rcode.SERVFAIL, true);
            return reply(query, Rcode.SERVFAIL);
        }
    }

    /** An empty response to the query: same id and question, recursion available (names outside are forwarded). */
    private static Message reply(Message query, int rcode) {
        Message response = new Message(query.getHeader().getID());
        Header header = response.getHeader();
        header.setFlag(Flags.QR);
        header.setFlag(Flags.RA);
        if (query.getHeader().getFlag(Flags.RD)) {
            header.setFlag(Flags.RD);
        }
        header.setOpcode(query.getHeader().getOpcode());
        header.setRcode(rcode);
        if (query.getQuestion() != null) {
            response.addRecord(query.getQuestion(), Section.QUESTION);
        }
        if (query.getOPT() != null) {
            response.addRecord(new OPTRecord(EDNS_PAYLOAD, 0, 0), Section.ADDITIONAL);
        }
        return response;
    }
}
