/**
 * Fabric policies: signature policies (n-out-of over signed-by principals), implicit-meta policies
 * over sub-groups, and a manager resolving policy paths such as {@code /Channel/Writers} over a
 * config tree. Uses {@code crypto} and {@code msp}.
 */
package io.ordo.fabric.policy;
