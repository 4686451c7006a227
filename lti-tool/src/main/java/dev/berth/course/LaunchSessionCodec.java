package dev.berth.course;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.HashMap;
import java.util.Map;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.convert.ConversionService;
import org.springframework.core.convert.support.GenericConversionService;
import org.springframework.core.serializer.support.DeserializingConverter;
import org.springframework.core.serializer.support.SerializingConverter;
import org.springframework.security.core.context.SecurityContext;
import org.springframework.security.core.context.SecurityContextImpl;

/**
 * How Spring Session stores session attributes in PostgreSQL. The security context of a launch session, which
 * every launch writes and every page reads, is written in a compact form of its own: a person, a platform, a
 * name and the roles by course, in a few dozen bytes instead of about a kilobyte of Java serialization (whose
 * writing cost 3 % of Berth's CPU in the launch benchmark). Every other attribute (CSRF tokens, the
 * administrator's login) is Java-serialized as before, and sessions stored before are read as they were.
 */
@Configuration(proxyBeanMethods = false)
class LaunchSessionCodec {

    /** First byte of the compact form: never the start of a Java serialization stream (0xACED). */
    static final byte MAGIC = 'L';

    static final byte VERSION = 1;

    /** Not a candidate for plain {@code ConversionService} injection: Spring Session asks for it by name. */
    @Bean(defaultCandidate = false)
    ConversionService springSessionConversionService() {
        ClassLoader classLoader = LaunchSessionCodec.class.getClassLoader();
        SerializingConverter javaSerialization = new SerializingConverter();
        DeserializingConverter javaDeserialization = new DeserializingConverter(classLoader);
        GenericConversionService conversions = new GenericConversionService();
        conversions.addConverter(Object.class, byte[].class, value -> {
            byte[] compact = compact(value);
            return compact != null ? compact : javaSerialization.convert(value);
        });
        conversions.addConverter(byte[].class, Object.class, bytes -> {
            if (bytes.length > 0 && bytes[0] == MAGIC) {
                return bytes.length > 1 && bytes[1] == VERSION ? read(bytes) : null;
            }
            return javaDeserialization.convert(bytes);
        });
        return conversions;
    }

    /** The compact form of a launch session's security context; null for anything else. */
    static byte[] compact(Object value) {
        if (!(value instanceof SecurityContextImpl context)
                || context.getClass() != SecurityContextImpl.class
                || !(context.getAuthentication() instanceof LaunchAuthentication authentication)
                || authentication.getDetails() != null) {
            return null;
        }
        LaunchUser user = authentication.getPrincipal();
        ByteArrayOutputStream buffer =
                new ByteArrayOutputStream(64 + 16 * user.courses().size());
        try (DataOutputStream out = new DataOutputStream(buffer)) {
            out.writeByte(MAGIC);
            out.writeByte(VERSION);
            out.writeLong(user.personId());
            out.writeLong(user.platformId());
            out.writeBoolean(user.displayName() != null);
            if (user.displayName() != null) {
                out.writeUTF(user.displayName());
            }
            out.writeInt(user.courses().size());
            for (Map.Entry<Long, CourseRole> course : user.courses().entrySet()) {
                out.writeLong(course.getKey());
                out.writeUTF(course.getValue().name());
            }
        } catch (IOException e) {
            return null; // a name beyond writeUTF's 64 KiB: Java serialization takes it
        }
        return buffer.toByteArray();
    }

    /**
     * The security context in {@code bytes}; null when they cannot be read (a damaged row, or a form a later Berth
     * wrote): the session then has no login, and its person is asked to launch again, instead of every page failing.
     */
    static SecurityContext read(byte[] bytes) {
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(bytes, 2, bytes.length - 2))) {
            long personId = in.readLong();
            long platformId = in.readLong();
            String displayName = in.readBoolean() ? in.readUTF() : null;
            int count = in.readInt();
            Map<Long, CourseRole> courses = new HashMap<>();
            for (int i = 0; i < count; i++) {
                courses.put(in.readLong(), CourseRole.valueOf(in.readUTF()));
            }
            return new SecurityContextImpl(
                    new LaunchAuthentication(new LaunchUser(personId, platformId, displayName, courses)));
        } catch (IOException | IllegalArgumentException e) {
            return null;
        }
    }
}
