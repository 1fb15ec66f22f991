/** Commands about the tool itself: its version and its shell completion. */
package io.ordo.cli.info;
