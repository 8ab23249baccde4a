package io.capstan.network.dns;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Name;
import org.xbill.DNS.Record;
import org.xbill.DNS.SOARecord;
import org.xbill.DNS.Type;

/**
 * An immutable snapshot of the cluster's records: the cluster domain's zone (with every name that exists, also
 * those that own no record, so NODATA and NXDOMAIN can be told apart) and the reverse records of service and
 * endpoint addresses.
 */
public final class DnsZone {

    private final Name domain;
    private final long ttl;
    private final SOARecord soa;
    private final Map<Name, List<Record>> records;
    private final Set<Name> names;

    private DnsZone(Name domain, long ttl, long serial, Map<Name, List<Record>> records, Set<Name> names) {
        this.domain = domain;
        this.ttl = ttl;
        // As CoreDNS's: the negative-caching TTL (minimum) is the records' TTL.
        this.soa = new SOARecord(domain, DClass.IN, ttl, name("ns.dns", domain), name("hostmaster", domain), serial,
                7200, 1800, 86400, ttl);
        this.records = records;
        this.names = names;
    }

    /** A zone without records, for the cluster domain (e.g. "cluster.local"). */
    public static DnsZone empty(String domain, long ttl) {
        return builder(domain, ttl).build(0);
    }

    static Builder builder(String domain, long ttl) {
        return new Builder(absolute(domain), ttl);
    }

    public Name domain() {
        return domain;
    }

    long ttl() {
        return ttl;
    }

    SOARecord soa() {
        return soa;
    }

    /** Whether the name is the cluster domain or below it. */
    boolean inDomain(Name name) {
        return name.subdomain(domain);
    }

    /** Whether the name exists in the zone (owns records, or has names below it). */
    boolean exists(Name name) {
        return names.contains(name) || records.containsKey(name);
    }

    /** The records of a type the name owns (every type for ANY). */
    List<Record> lookup(Name name, int type) {
        List<Record> owned = records.getOrDefault(name, List.of());
        if (type == Type.ANY) {
            return owned;
        }
        List<Record> found = new ArrayList<>();
        for (Record r : owned) {
            if (r.getType() == type) {
                found.add(r);
            }
        }
        return found;
    }

    /** How many names own records; for logs and the bench. */
    public int size() {
        return records.size();
    }

    static Name absolute(String name) {
        try {
            return Name.fromString(name.endsWith(".") ? name : name + ".");
        } catch (org.xbill.DNS.TextParseException e) {
            throw new IllegalArgumentException("not a DNS name: " + name, e);
        }
    }

    /** label.parent; null when the label cannot be a DNS label (too long, empty). */
    static Name name(String label, Name parent) {
        try {
            return Name.fromString(label, parent);
        } catch (org.xbill.DNS.TextParseException e) {
            return null;
        }
    }

    /** Collects records, then freezes them into a zone. */
    static final class Builder {

        private final Name domain;
        private final long ttl;
        private final Map<Name, List<Record>> records = new HashMap<>();
        private final Set<Name> names = new HashSet<>();

        private Builder(Name domain, long ttl) {
            this.domain = domain;
            this.ttl = ttl;
            names.add(domain);
        }

        Name domain() {
            return domain;
        }

        long ttl() {
            return ttl;
        }

        /** Adds a record once; a name inside the domain makes its ancestors exist too. */
        Builder add(Record record) {
            List<Record> owned = records.computeIfAbsent(record.getName(), k -> new ArrayList<>());
            if (!owned.contains(record)) {
                owned.add(record);
            }
            markExists(record.getName());
            return this;
        }

        /** Makes a name exist without records (a service with no addresses yet answers NODATA, not NXDOMAIN). */
        Builder markExists(Name name) {
            if (!name.subdomain(domain)) {
                return this;
            }
            for (Name n = name; !n.equals(domain) && names.add(n); n = parent(n)) {
                // ancestors up to the domain
            }
            return this;
        }

        DnsZone build(long serial) {
            Map<Name, List<Record>> frozen = new HashMap<>(records.size() * 2);
            records.forEach((k, v) -> frozen.put(k, List.copyOf(v)));
            return new DnsZone(domain, ttl, serial, frozen, Set.copyOf(names));
        }

        private static Name parent(Name name) {
            return new Name(name, 1);
        }
    }
}
