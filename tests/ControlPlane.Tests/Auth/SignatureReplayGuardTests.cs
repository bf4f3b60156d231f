using PerfTest.ControlPlane.Api;
using PerfTest.ControlPlane.Auth;
using Xunit;

namespace PerfTest.ControlPlane.Tests.Auth;

/// <summary>The replay set forgets a signature only once its date is out of the clock-skew window, and never grows past its cap.</summary>
public sealed class SignatureReplayGuardTests
{
    private sealed class ManualClock(DateTimeOffset now) : TimeProvider
    {
        public DateTimeOffset Now { get; set; } = now;
        public override DateTimeOffset GetUtcNow() => Now;
    }

    [Fact]
    public void A_signature_is_refused_within_the_window_and_forgotten_after_it()
    {
        var signedAt = new DateTimeOffset(2026, 12, 6, 3, 0, 0, TimeSpan.Zero);
        var clock = new ManualClock(signedAt);
        var guard = new SignatureReplayGuard(new AuthOptions { MaxClockSkew = TimeSpan.FromMinutes(15), MaxRememberedSignatures = 1 }, clock);
        guard.Accept("aa", signedAt);

        clock.Now = signedAt.AddMinutes(15);
        Assert.Equal(401, Assert.Throws<ApiException>(() => guard.Accept("aa", signedAt)).Status);
        Assert.Equal(429, Assert.Throws<ApiException>(() => guard.Accept("bb", signedAt)).Status);

        // Past the window the date check refuses "aa" anyway, so its place is free again.
        clock.Now = signedAt.AddMinutes(15).AddSeconds(1);
        guard.Accept("bb", clock.Now);
        Assert.Equal(401, Assert.Throws<ApiException>(() => guard.Accept("bb", clock.Now)).Status);
    }
}
