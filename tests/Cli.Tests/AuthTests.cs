using Xunit;

namespace PerfTest.Cli.Tests;

/// <summary>The CLI against a control plane with credentials: AK/SK signatures and tokens accepted by the real verifier.</summary>
public sealed class AuthTests : CliTestBase
{
    private const string Ak = "CLIACCESSKEY";
    private const string Sk = "cli-secret-key-9f3b";
    private const string Token = "cli-token-4d1a";

    protected override IDictionary<string, string?> MoreSettings => new Dictionary<string, string?>
    {
        ["Auth:Credentials:0:AccessKey"] = Ak,
        ["Auth:Credentials:0:SecretKey"] = Sk,
        ["Auth:Credentials:0:ProjectIds:0"] = Tenant,
        ["Auth:Tokens:0:Token"] = Token,
        ["Auth:Tokens:0:ProjectIds:0"] = Tenant,
    };

    [Fact]
    public async Task AK_SK_signed_calls_apply_run_and_report_and_the_secret_is_never_printed()
    {
        Env["PERFTEST_AK"] = Ak;
        Env["PERFTEST_SK"] = Sk;
        var apply = await CliAsync("apply", "-f", File("shop.yaml", ShopYaml(seconds: 1)));
        Assert.True(apply.Exit == 0, apply.ToString());
        var run = await CliAsync("run", "smoke", "--threshold", "requests>0");
        Assert.True(run.Exit == 0, run.ToString());
        var ls = await CliAsync("ls");
        Assert.True(ls.Exit == 0, ls.ToString());
        Assert.Contains("ended", ls.Out);
        foreach (var r in new[] { apply, run, ls })
        {
            Assert.DoesNotContain(Sk, r.Out + r.Error);
        }
    }

    [Fact]
    public async Task The_secret_key_may_come_from_a_file()
    {
        Env["PERFTEST_AK"] = Ak;
        var r = await CliAsync("ls", "--sk-file", File("sk", Sk + "\n"));
        Assert.True(r.Exit == 0, r.ToString());
    }

    [Fact]
    public async Task A_wrong_secret_key_is_refused_by_the_server_with_exit_3()
    {
        Env["PERFTEST_AK"] = Ak;
        Env["PERFTEST_SK"] = "not-the-key";
        var r = await CliAsync("ls");
        Assert.Equal(3, r.Exit);
        Assert.Contains("401", r.Error);
        Assert.Contains("signature does not match", r.Error);
        Assert.DoesNotContain("not-the-key", r.Error);
    }

    [Fact]
    public async Task A_token_is_sent_as_X_Auth_Token_and_no_credentials_are_refused()
    {
        var none = await CliAsync("ls");
        Assert.Equal(3, none.Exit);
        Assert.Contains("authentication required", none.Error);

        Env["PERFTEST_TOKEN"] = Token;
        var r = await CliAsync("apply", "-f", File("shop.yaml", ShopYaml()));
        Assert.True(r.Exit == 0, r.ToString());
        Assert.DoesNotContain(Token, r.Out + r.Error);

        Env.Remove("PERFTEST_TOKEN");
        Assert.Equal(0, (await CliAsync("ls", "--token-file", File("token", Token))).Exit);
    }

    [Fact]
    public async Task Half_an_AK_SK_pair_is_a_usage_error()
    {
        Env["PERFTEST_AK"] = Ak;
        var r = await CliAsync("ls");
        Assert.Equal(2, r.Exit);
        Assert.Contains("needs both PERFTEST_AK and the secret key", r.Error);
    }
}
