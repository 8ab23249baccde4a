package io.capstan.network.dns;

import java.util.List;
import org.xbill.DNS.Name;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;

/**
 * What the cluster's records say to one question: an authoritative answer (records, NODATA or NXDOMAIN, with the SOA
 * in the authority section for the negative ones), or that the name is not the cluster's and goes to the upstream
 * resolvers. {@code external} is the out-of-cluster target of an ExternalName CNAME, which the server resolves
 * upstream and appends, as CoreDNS does.
 */
record Answer(boolean forward, int rcode, List<Record> answers, List<Record> authority, List<Record> additional, Name external) {

    static final Answer FORWARD = new Answer(true, Rcode.NOERROR, List.of(), List.of(), List.of(), null);

    static Answer nxdomain(Record soa) {
        return new Answer(false, Rcode.NXDOMAIN, List.of(), List.of(soa), List.of(), null);
    }

    static Answer nodata(Record soa) {
        return new Answer(false, Rcode.NOERROR, List.of(), List.of(soa), List.of(), null);
    }
}
