/**
 * Test support for the commands that talk to orderers: crypto material for a loopback orderer and a
 * client ({@link io.ordo.cli.testing.TestMaterial}), and a TLS gRPC orderer that checks, orders and
 * delivers what it is sent ({@link io.ordo.cli.testing.FakeOrderer}).
 */
package io.ordo.cli.testing;
