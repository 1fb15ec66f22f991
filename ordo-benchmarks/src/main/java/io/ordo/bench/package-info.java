/** JMH benchmarks of Ordo's core paths; figures and commands are in docs/benchmarks.md. */
package io.ordo.bench;
