namespace PerfTest.Executor.Scripting;

/// <summary>A card that sends and is counted as one request of the report under its <see cref="Key"/>: every packet card.</summary>
public interface IPacketCard : ICard
{
    /// <summary>Its metric key: its index in <see cref="CompiledScript.Keys"/>.</summary>
    int Key { get; }

    string Name { get; }
}
