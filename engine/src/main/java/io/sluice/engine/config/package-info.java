/**
 * Configuration options defined once: {@link io.sluice.engine.config.ConfigOption} (key, {@link
 * io.sluice.engine.config.OptionType type}, default or required, {@link
 * io.sluice.engine.config.Validator validators}, doc). Each module declares its options in one
 * catalogue class ({@code JobOptions}, {@code KafkaSourceOptions}, {@code DeltaSinkOptions}); the
 * pipeline file loader reads values through them ({@link io.sluice.engine.config.ConfigValue}), the
 * Java builders take their defaults and checks from them, and {@link
 * io.sluice.engine.config.ConfigDocs} generates the reference tables of {@code
 * docs/configuration.md} from them.
 */
package io.sluice.engine.config;
