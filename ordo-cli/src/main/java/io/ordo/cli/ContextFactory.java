package io.ordo.cli;

import java.lang.reflect.Constructor;
import picocli.CommandLine;
import picocli.CommandLine.IFactory;

/**
 * Gives each command class that takes a {@link CliContext} in its constructor the one of this run.
 */
final class ContextFactory implements IFactory {
  private final CliContext context;
  private final IFactory fallback = CommandLine.defaultFactory();

  ContextFactory(CliContext context) {
    this.context = context;
  }

  @Override
  public <K> K create(Class<K> cls) throws Exception {
    for (Constructor<?> c : cls.getDeclaredConstructors()) {
      if (c.getParameterCount() == 1 && c.getParameterTypes()[0] == CliContext.class) {
        c.setAccessible(true);
        return cls.cast(c.newInstance(context));
      }
    }
    return fallback.create(cls);
  }
}
