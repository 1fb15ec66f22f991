package io.ordo.interop;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A test class of the interop suite: tagged {@code interop} (run by {@code -Pinterop}, left out of
 * the default suite) and given a {@link Stage} per test by {@link StageExtension}, which skips the
 * class when Fabric's binaries are not named by the environment.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Tag("interop")
@ExtendWith(StageExtension.class)
@interface InteropTest {}
