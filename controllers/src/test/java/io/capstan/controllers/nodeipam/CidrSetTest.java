package io.capstan.controllers.nodeipam;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class CidrSetTest {

    @Test
    void handsOutSubnetsInOrderAndSkipsOccupiedOnes() throws Exception {
        CidrSet set = new CidrSet(Ipv4Cidr.parse("10.42.0.0/16"), 24);
        set.occupy(Ipv4Cidr.parse("10.42.1.0/24"));

        assertThat(set.allocateNext()).hasToString("10.42.0.0/24");
        assertThat(set.allocateNext()).hasToString("10.42.2.0/24");
    }

    @Test
    void aReleasedSubnetIsNotReusedBeforeTheRestAreTaken() throws Exception {
        CidrSet set = new CidrSet(Ipv4Cidr.parse("10.42.0.0/22"), 24);
        Ipv4Cidr first = set.allocateNext();
        set.allocateNext();
        set.release(first);

        assertThat(set.allocateNext()).hasToString("10.42.2.0/24");
        assertThat(set.allocateNext()).hasToString("10.42.3.0/24");
        assertThat(set.allocateNext()).hasToString("10.42.0.0/24");
    }

    @Test
    void aFullRangeRefusesAnotherSubnet() throws Exception {
        CidrSet set = new CidrSet(Ipv4Cidr.parse("10.198.7.0/24"), 24);
        assertThat(set.allocateNext()).hasToString("10.198.7.0/24");

        assertThatThrownBy(set::allocateNext).isInstanceOf(CidrSet.FullException.class)
                .hasMessageContaining("no remaining CIDRs left to allocate");
    }

    @Test
    void occupyingALargerRangeTakesEverySubnetInIt() throws Exception {
        CidrSet set = new CidrSet(Ipv4Cidr.parse("10.42.0.0/16"), 24);
        set.occupy(Ipv4Cidr.parse("10.42.0.0/23"));

        assertThat(set.isUsed(Ipv4Cidr.parse("10.42.1.0/24"))).isTrue();
        assertThat(set.allocateNext()).hasToString("10.42.2.0/24");
    }

    @Test
    void subnetsOutsideTheClusterCidrAreNotCovered() {
        CidrSet set = new CidrSet(Ipv4Cidr.parse("10.42.0.0/16"), 24);

        assertThat(set.covers(Ipv4Cidr.parse("10.43.0.0/24"))).isFalse();
        assertThatThrownBy(() -> set.occupy(Ipv4Cidr.parse("10.43.0.0/24"))).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void parsingClearsHostBitsAndRejectsWhatIsNotIpv4() {
        assertThat(Ipv4Cidr.parse("10.42.3.7/16")).hasToString("10.42.0.0/16");
        assertThatThrownBy(() -> Ipv4Cidr.parse("fd00::/64")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Ipv4Cidr.parse("10.42.0.0")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Ipv4Cidr.parse("10.256.0.0/16")).isInstanceOf(IllegalArgumentException.class);
    }
}
