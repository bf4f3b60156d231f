namespace PerfTest.Executor.Scripting.Variables;

/// <summary>Gives the value a <c>${name}</c> reference renders as.</summary>
public interface IVariableResolver
{
    string Resolve(string name);
}
