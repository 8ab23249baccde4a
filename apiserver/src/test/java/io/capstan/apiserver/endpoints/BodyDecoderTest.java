package io.capstan.apiserver.endpoints;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.capstan.api.Json;
import io.capstan.api.StatusException;
import org.junit.jupiter.api.Test;

class BodyDecoderTest {

    @Test
    void aYamlBodyInBadUtf8IsABadRequestWithoutJavaClassNames() {
        byte[] body = {'a', ':', ' ', (byte) 0x9f, (byte) 0xff, '\n'};
        StatusException e = catchThrowableOfType(StatusException.class, () -> BodyDecoder.parse(Json.YAML, body));
        assertThat(e.code()).isEqualTo(400);
        assertThat(e.getMessage()).startsWith("the body of the request could not be decoded: ").doesNotContain("Exception");
    }

    @Test
    void classNamesAreCutFromParserMessages() {
        assertThat(BodyDecoder.withoutClassNames("java.io.CharConversionException: Invalid UTF-8 start byte 0x9f"))
                .isEqualTo("Invalid UTF-8 start byte 0x9f");
        assertThat(BodyDecoder.withoutClassNames("Unexpected end-of-input")).isEqualTo("Unexpected end-of-input");
    }
}
