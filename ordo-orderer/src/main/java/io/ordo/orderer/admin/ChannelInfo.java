package io.ordo.orderer.admin;

/**
 * Fabric's ChannelInfo as the API returns it.
 *
 * @param consensusRelation consenter, follower, config-tracker or other
 * @param status active, onboarding, inactive or failed
 * @param height the ledger height (0 while a removal is pending)
 */
public record ChannelInfo(String name, String consensusRelation, String status, long height) {
  public String url() {
    return ParticipationApi.CHANNELS + "/" + name;
  }
}
