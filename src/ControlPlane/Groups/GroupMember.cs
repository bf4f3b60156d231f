using PerfTest.Executor.Grpc;
using PerfTest.Executor.Running;

namespace PerfTest.ControlPlane.Groups;

/// <summary>Where an executor of a case run's group stands.</summary>
public enum MemberState
{
    /// <summary>Runs its share; counted when the group is split.</summary>
    Running,
    /// <summary>Its plan ran to its end.</summary>
    Finished,
    /// <summary>Gone without a word (its stream broke and it could not be re-attached, or it missed its heartbeats).</summary>
    Lost,
    /// <summary>Left on shutdown: its share went to the others, and its last seconds still come in.</summary>
    Drained,
}

/// <summary>One executor of a case run's group, and what its last second said. Guarded by its group's lock.</summary>
internal sealed class GroupMember(IExecutorClient client)
{
    public IExecutorClient Client { get; } = client;
    public string Id => Client.Id;
    public MemberState State { get; set; } = MemberState.Running;

    /// <summary>The last second's sequence stored from it: a re-attach replays what follows.</summary>
    public long LastSequence { get; set; }

    /// <summary>The stage its last second was in (-1 before its first second), when it started it, and its iterations in it.</summary>
    public int StageIndex { get; set; } = -1;
    public long StageStartedMs { get; set; }
    public long StageIterations { get; set; }

    /// <summary>
    /// The split of the group it runs by (<see cref="CaseRunGroup"/> counts splits); behind the group's when a reshare
    /// did not reach its plan yet (a joiner still warming up), and sent again with its next second.
    /// </summary>
    public int PlacedAt { get; set; }

    /// <summary>It joined the running group and has not sent its first second yet.</summary>
    public bool Joining { get; set; }

    /// <summary>Cuts its stream when it is counted lost.</summary>
    public CancellationTokenSource Cut { get; } = new();

    public void Saw(SecondSnapshot second)
    {
        LastSequence = Math.Max(LastSequence, second.Sequence);
        if (second.StageIndex >= StageIndex && second.StageIndex >= 0)
        {
            StageIndex = second.StageIndex;
            StageStartedMs = second.StageStartedUnixMs;
            StageIterations = second.StageIterations;
        }
    }
}
