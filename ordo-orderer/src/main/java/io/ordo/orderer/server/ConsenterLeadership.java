package io.ordo.orderer.server;

import io.ordo.fabric.channelconfig.RaftConsenter;
import io.ordo.orderer.admin.ChannelManager;
import io.ordo.orderer.admin.LeadershipControl;
import io.ordo.orderer.admin.LeadershipException;
import io.ordo.orderer.consensus.ChainUnavailableException;
import io.ordo.orderer.consensus.etcdraft.EtcdRaftConsenter;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** The admin API's leadership routes over the node's etcdraft consenter. */
final class ConsenterLeadership implements LeadershipControl {
  private final EtcdRaftConsenter consenter;
  private final ChannelManager channels;

  ConsenterLeadership(EtcdRaftConsenter consenter, ChannelManager channels) {
    this.consenter = consenter;
    this.channels = channels;
  }

  @Override
  public List<Consenter> consenters(String channel) {
    return consentersById(channel).entrySet().stream()
        .map(e -> new Consenter(e.getKey(), e.getValue().endpoint()))
        .sorted((a, b) -> Long.compare(a.id(), b.id()))
        .toList();
  }

  @Override
  public Optional<Consenter> leader(String channel) {
    Map<Long, RaftConsenter> byId = consentersById(channel);
    long lead = consenter.leaderOf(channel);
    RaftConsenter k = byId.get(lead);
    return k == null ? Optional.empty() : Optional.of(new Consenter(lead, k.endpoint()));
  }

  @Override
  public Consenter moveLeader(String channel, Consenter to, Duration bound) {
    consentersById(channel);
    long lead = consenter.moveLeadership(channel, to.id(), bound);
    if (lead != to.id()) {
      throw new LeadershipException(
          LeadershipException.Kind.UNSETTLED,
          "channel "
              + channel
              + ": leadership did not move to "
              + to.id()
              + " ("
              + to.endpoint()
              + ") within "
              + bound.toSeconds()
              + " s; "
              + (lead == 0 ? "no leader now" : "the leader is " + lead));
    }
    return to;
  }

  @Override
  public DrainState drain(Duration bound) {
    consenter.drain(bound);
    return drainState();
  }

  @Override
  public DrainState undrain() {
    consenter.undrain();
    return drainState();
  }

  @Override
  public DrainState drainState() {
    return new DrainState(consenter.drained(), consenter.channelsLed());
  }

  private Map<Long, RaftConsenter> consentersById(String channel) {
    if (channels.channel(channel).isEmpty()) {
      throw new LeadershipException(LeadershipException.Kind.NOT_FOUND, "channel does not exist");
    }
    try {
      return consenter.consentersOf(channel);
    } catch (ChainUnavailableException e) {
      throw new LeadershipException(
          LeadershipException.Kind.NOT_CONSENTER,
          "channel " + channel + ": this node is not one of its consenters");
    }
  }
}
