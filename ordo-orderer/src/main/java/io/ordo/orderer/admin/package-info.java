/**
 * The channel participation REST API of Fabric v3.0 ({@code /participation/v1/...}) on the admin
 * listener: HTTPS with required client certificates, Fabric's routes, JSON bodies, status codes and
 * error texts, multipart join requests read within a size bound. The join and removal themselves
 * are delegated to a {@link io.ordo.orderer.admin.ChannelManager} the node implements. Also owns
 * {@link io.ordo.orderer.admin.ServerTls}, the SSLContext of the HTTP listeners, and {@link
 * io.ordo.orderer.admin.HttpTimeouts}, Fabric's request and response time limits (both used by
 * {@code ops} too). Depends on ordo-fabric (block checks) and the JDK's {@code
 * com.sun.net.httpserver}.
 */
package io.ordo.orderer.admin;
