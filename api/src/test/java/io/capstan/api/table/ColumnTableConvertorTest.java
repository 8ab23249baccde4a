package io.capstan.api.table;

import static io.capstan.api.table.Objects.ago;
import static io.capstan.api.table.Objects.row;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class ColumnTableConvertorTest {

    private static final TableConvertor CRONTABS = TableConvertor.fromColumns(List.of(
            new PrinterColumn("Spec", "string", "", ".spec.cronSpec", 0, "The cron spec"),
            new PrinterColumn("Replicas", "integer", "", ".spec.replicas", 0, ""),
            new PrinterColumn("Ratio", "number", "", ".status.ratio", 1, ""),
            new PrinterColumn("Ready", "boolean", "", ".status.ready", 0, ""),
            new PrinterColumn("Condition", "string", "", ".status.conditions[0].type", 0, ""),
            new PrinterColumn("Owner", "string", "", ".metadata.labels['example\\.com/owner']", 0, ""),
            new PrinterColumn("Age", "date", "", ".metadata.creationTimestamp", 0, "")));

    @Test
    void columnsFollowANameColumnWithDescriptionsDefaultedToTheirPath() {
        assertThat(Objects.headers(CRONTABS)).containsExactly("NAME", "SPEC", "REPLICAS", "RATIO", "READY", "CONDITION", "OWNER", "AGE");
        assertThat(CRONTABS.columns().get(1).description()).isEqualTo("The cron spec");
        assertThat(CRONTABS.columns().get(2).description())
                .isEqualTo("Custom resource definition column (in JSONPath format): .spec.replicas");
        assertThat(CRONTABS.columns().get(3).priority()).isEqualTo(1);
    }

    @Test
    void cellsAreTypedValuesAndMissingOnesAreNull() {
        assertThat(row(CRONTABS, """
                metadata: {name: c1, creationTimestamp: "%s", labels: {example.com/owner: ops}}
                spec: {cronSpec: "* * * * */5", replicas: 3}
                status: {ratio: 0.5, ready: true, conditions: [{type: Synced}]}
                """.formatted(ago("5m")))).containsExactly("c1", "* * * * */5", 3L, 0.5, true, "Synced", "ops", "5m");
        assertThat(row(CRONTABS, "metadata: {name: c2}\nspec: {replicas: many}"))
                .containsExactly("c2", null, null, null, null, null, null, null);
    }

    @Test
    void stringColumnsPrintStructuredValuesAsGoDoes() {
        TableConvertor convertor = TableConvertor.fromColumns(List.of(new PrinterColumn("Ports", "string", "", ".spec.ports", 0, "")));
        assertThat(row(convertor, "metadata: {name: x}\nspec: {ports: [80, {b: 2, a: x}]}").get(1)).isEqualTo("[80 map[a:x b:2]]");
    }

    @Test
    void noColumnsMeansNameAndAgeAsForACrdWithoutPrinterColumns() {
        TableConvertor convertor = TableConvertor.fromColumns(List.of());
        assertThat(Objects.headers(convertor)).containsExactly("NAME", "AGE");
        assertThat(convertor.columns().get(1).type()).isEqualTo("date");
        assertThat(row(convertor, "metadata: {name: x, creationTimestamp: \"%s\"}".formatted(ago("90s")))).containsExactly("x", "90s");
    }

    @Test
    void jsonPathReadsFieldsIndexesQuotedKeysAndBraces() {
        var obj = Objects.yaml("a: {b: [{c: 1}, {c: 2}]}\nm: {x.y/z: v}");
        assertThat(JsonPath.parse(".a.b[1].c").evaluate(obj).asInt()).isEqualTo(2);
        assertThat(JsonPath.parse("{.a.b[-1].c}").evaluate(obj).asInt()).isEqualTo(2);
        assertThat(JsonPath.parse(".m['x.y/z']").evaluate(obj).asText()).isEqualTo("v");
        assertThat(JsonPath.parse(".m.x\\.y/z").evaluate(obj).asText()).isEqualTo("v");
        assertThat(JsonPath.parse(".a.b[5].c").evaluate(obj).isMissingNode()).isTrue();
        assertThat(JsonPath.parse(".a.nope.c").evaluate(obj).isMissingNode()).isTrue();
        assertThatThrownBy(() -> JsonPath.parse(".a[?(@.x)]")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> JsonPath.parse("a.b")).isInstanceOf(IllegalArgumentException.class);
    }
}
