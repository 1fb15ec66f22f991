/**
 * The client side of an orderer's channel participation API ({@code /participation/v1/}): the
 * mutual-TLS context, the join request's multipart body, the calls and their responses, and the
 * response body indented as osnadmin prints it. Used by {@code ordo channel} and {@code ordo
 * network up}.
 */
package io.ordo.cli.admin;
