/**
 * Test helpers shared by the in-JVM cluster tests ({@code io.ordo.orderer.server}) and the
 * real-process ones ({@code io.ordo.orderer.it}): building and signing channel config updates, and
 * collecting a Broadcast stream's answers.
 */
package io.ordo.orderer.testing;
