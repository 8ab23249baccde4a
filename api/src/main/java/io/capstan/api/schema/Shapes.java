package io.capstan.api.schema;

import com.fasterxml.jackson.databind.JavaType;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.introspect.BeanPropertyDefinition;
import io.capstan.api.ResourceType;
import io.fabric8.kubernetes.api.model.AnyType;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.Quantity;
import java.lang.reflect.Modifier;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** Builds {@link Shape}s from the fabric8 model classes and a table of {@link TypeRules}. */
public final class Shapes {

    /** The shapes of the built-in kinds. */
    public static final Shapes BUILTIN = new Shapes(BuiltinRules.create());

    private static final ObjectMapper MAPPER = new ObjectMapper();

    private final TypeRules rules;
    private final Map<Class<?>, Map<String, JavaType>> properties = new ConcurrentHashMap<>();

    public Shapes(TypeRules rules) {
        this.rules = rules;
    }

    /** The shape of a kind's objects; UNTYPED for kinds without a model class (custom resources). */
    public Shape of(ResourceType type) {
        return type.modelClass() == null ? Shape.UNTYPED : of(type.modelClass());
    }

    /** The shape of objects of a model class. */
    public Shape of(Class<?> modelClass) {
        return of(MAPPER.constructType(modelClass), FieldRule.NONE);
    }

    Shape of(JavaType type, FieldRule rule) {
        Class<?> c = type.getRawClass();
        if (type.isCollectionLikeType() || type.isArrayType()) {
            return new Shape(this, type, Shape.Kind.LIST, rule);
        }
        if (type.isMapLikeType()) {
            return new Shape(this, type, Shape.Kind.MAP, rule);
        }
        if (c == Object.class || JsonNode.class.isAssignableFrom(c) || AnyType.class.isAssignableFrom(c)
                || ((c.isInterface() || Modifier.isAbstract(c.getModifiers())) && !type.isContainerType())) {
            return rule == FieldRule.NONE ? Shape.UNTYPED : new Shape(this, type, Shape.Kind.UNTYPED, rule);
        }
        if (c.isPrimitive() || c.getName().startsWith("java.") || c.isEnum() || c == IntOrString.class || c == Quantity.class) {
            return new Shape(this, type, Shape.Kind.SCALAR, rule);
        }
        return new Shape(this, type, Shape.Kind.STRUCT, rule);
    }

    Shape field(JavaType struct, String name) {
        JavaType child = props(struct).get(name);
        if (child == null) {
            return Shape.UNTYPED;
        }
        return of(child, rules.rule(struct.getRawClass().getSimpleName(), name));
    }

    boolean declares(JavaType struct, String name) {
        return props(struct).containsKey(name);
    }

    boolean atomicType(JavaType struct) {
        return rules.atomicType(struct.getRawClass().getSimpleName());
    }

    private Map<String, JavaType> props(JavaType struct) {
        return properties.computeIfAbsent(struct.getRawClass(), c -> {
            Map<String, JavaType> props = new HashMap<>();
            for (BeanPropertyDefinition p : MAPPER.getDeserializationConfig().introspect(struct).findProperties()) {
                if (p.hasSetter() || p.hasField() || p.hasConstructorParameter()) {
                    props.put(p.getName(), p.getPrimaryType());
                }
            }
            return props;
        });
    }
}
