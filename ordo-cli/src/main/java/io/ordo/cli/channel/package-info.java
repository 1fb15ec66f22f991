/**
 * {@code ordo channel join|list|remove}: osnadmin's commands against orderers' channel
 * participation API, with osnadmin's flags, or every node (or one) of a {@code network.json}.
 */
package io.ordo.cli.channel;
