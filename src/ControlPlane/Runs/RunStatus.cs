namespace PerfTest.ControlPlane.Runs;

/// <summary>run_status / temp_running_status values of the API.</summary>
public static class RunStatus
{
    public const int Running = 0;
    public const int Ended = 2;
    public const int StoppedAbnormally = 3;
    public const int StoppedByUser = 4;
    public const int Stopping = 5;
    public const int Waiting = 9;

    public static bool IsActive(int status) => status is Running or Waiting or Stopping;
}
