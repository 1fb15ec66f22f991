/**
 * Test helpers shared by the in-JVM cluster tests ({@code io.ordo.orderer.server}) and the
 * real-process ones ({@code io.ordo.orderer.it}): building and signing channel config updates,
 * collecting a Broadcast stream's answers, and reading and comparing metric families ({@link
 * io.ordo.orderer.testing.ScrapeComparison}: Ordo's scrape against the list recorded from Fabric's
 * orderer, or against a live scrape of one).
 */
package io.ordo.orderer.testing;
