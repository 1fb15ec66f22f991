/**
 * Test support for the commands that talk to orderers: crypto material for a loopback orderer and a
 * client ({@link io.ordo.cli.testing.TestMaterial}), a TLS gRPC orderer that checks, orders and
 * delivers what it is sent ({@link io.ordo.cli.testing.FakeOrderer}), command lines put together
 * from groups of flags ({@link io.ordo.cli.testing.Args}), and real detached networks started and
 * stopped in a test's folder ({@link io.ordo.cli.testing.LocalNetworks}).
 */
package io.ordo.cli.testing;
