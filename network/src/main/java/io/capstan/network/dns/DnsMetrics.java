package io.capstan.network.dns;

import java.util.concurrent.atomic.LongAdder;
import org.xbill.DNS.Rcode;

/** Counters of what the DNS server answered, in the Prometheus text format under CoreDNS's metric names. */
public final class DnsMetrics {

    private final LongAdder[] byRcode = new LongAdder[16];
    private final LongAdder forwarded = new LongAdder();
    private final LongAdder truncated = new LongAdder();
    private final LongAdder malformed = new LongAdder();

    public DnsMetrics() {
        for (int i = 0; i < byRcode.length; i++) {
            byRcode[i] = new LongAdder();
        }
    }

    void answered(int rcode, boolean wasForwarded) {
        byRcode[rcode & 0xF].increment();
        if (wasForwarded) {
            forwarded.increment();
        }
    }

    void truncated() {
        truncated.increment();
    }

    void malformed() {
        malformed.increment();
    }

    /** Every response sent so far. */
    public long responses() {
        long total = 0;
        for (LongAdder a : byRcode) {
            total += a.sum();
        }
        return total;
    }

    /** The counters as Prometheus text (coredns_dns_responses_total by rcode, coredns_forward_requests_total, ...). */
    public String text() {
        StringBuilder out = new StringBuilder("# TYPE coredns_dns_responses_total counter\n");
        for (int i = 0; i < byRcode.length; i++) {
            long n = byRcode[i].sum();
            if (n > 0) {
                out.append("coredns_dns_responses_total{rcode=\"").append(Rcode.string(i)).append("\"} ").append(n).append('\n');
            }
        }
        out.append("# TYPE coredns_forward_requests_total counter\ncoredns_forward_requests_total ").append(forwarded.sum()).append('\n');
        out.append("# TYPE capstan_dns_truncated_total counter\ncapstan_dns_truncated_total ").append(truncated.sum()).append('\n');
        out.append("# TYPE capstan_dns_malformed_total counter\ncapstan_dns_malformed_total ").append(malformed.sum()).append('\n');
        return out.toString();
    }
}
