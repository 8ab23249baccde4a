package io.capstan.network.dns;

import java.util.ArrayList;
import java.util.List;
import org.xbill.DNS.CNAMERecord;
import org.xbill.DNS.Name;
import org.xbill.DNS.NSRecord;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.SRVRecord;
import org.xbill.DNS.Type;

/**
 * Answers one question from a {@link DnsZone}, as an authoritative server for the cluster domain: records of the
 * asked type, the CNAME of an ExternalName service (followed while it stays in the zone), NODATA when the name
 * exists without such records, NXDOMAIN when it does not exist. Reverse names are answered when the zone has a PTR
 * for them and forwarded otherwise (as CoreDNS's "fallthrough in-addr.arpa ip6.arpa"); every other name is forwarded.
 */
final class DnsResolver {

    private static final int MAX_CNAME_CHAIN = 8;
    private static final Name IN_ADDR_ARPA = DnsZone.absolute("in-addr.arpa");
    private static final Name IP6_ARPA = DnsZone.absolute("ip6.arpa");

    private DnsResolver() {}

    static Answer resolve(DnsZone zone, Name name, int type) {
        if (!zone.inDomain(name)) {
            boolean reverse = name.subdomain(IN_ADDR_ARPA) || name.subdomain(IP6_ARPA);
            List<Record> ptr = reverse && (type == Type.PTR || type == Type.ANY) ? zone.lookup(name, Type.PTR) : List.of();
            return ptr.isEmpty() ? Answer.FORWARD : authoritative(ptr, List.of());
        }
        if (name.equals(zone.domain()) && (type == Type.SOA || type == Type.NS)) {
            return authoritative(List.of(type == Type.SOA ? zone.soa()
                    : new NSRecord(zone.domain(), org.xbill.DNS.DClass.IN, zone.ttl(), zone.soa().getHost())), List.of());
        }
        List<Record> answers = new ArrayList<>();
        Name current = name;
        for (int hops = 0; hops < MAX_CNAME_CHAIN; hops++) {
            List<Record> found = zone.lookup(current, type);
            if (!found.isEmpty()) {
                answers.addAll(found);
                return authoritative(answers, additional(zone, found));
            }
            List<Record> cname = type == Type.CNAME ? List.of() : zone.lookup(current, Type.CNAME);
            if (cname.isEmpty()) {
                break;
            }
            answers.addAll(cname);
            Name target = ((CNAMERecord) cname.getFirst()).getTarget();
            if (!zone.inDomain(target)) {
                return new Answer(false, Rcode.NOERROR, answers, List.of(), List.of(), target);
            }
            current = target;
        }
        if (!answers.isEmpty()) {
            return authoritative(answers, List.of());
        }
        return zone.exists(name) ? Answer.nodata(zone.soa()) : Answer.nxdomain(zone.soa());
    }

    private static Answer authoritative(List<Record> answers, List<Record> additional) {
        return new Answer(false, Rcode.NOERROR, List.copyOf(answers), List.of(), additional, null);
    }

    /** The addresses of SRV targets, so a client needs no second query (CoreDNS adds them too). */
    private static List<Record> additional(DnsZone zone, List<Record> answers) {
        List<Record> extra = new ArrayList<>();
        for (Record r : answers) {
            if (r instanceof SRVRecord srv) {
                extra.addAll(zone.lookup(srv.getTarget(), Type.A));
                extra.addAll(zone.lookup(srv.getTarget(), Type.AAAA));
            }
        }
        return extra;
    }
}
