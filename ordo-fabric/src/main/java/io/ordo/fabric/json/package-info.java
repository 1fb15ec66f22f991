/**
 * Fabric's protobuf messages as configtxlator's JSON and back ({@code proto_decode} and {@code
 * proto_encode}): blocks, envelopes, config envelopes, configs and config updates, with the bytes
 * fields that hold a known message shown as that message. Uses only the protos.
 */
package io.ordo.fabric.json;
