namespace ClinicBot.Dialogs.Safety;

public enum RedFlag
{
    None,

    /// <summary>A physical emergency: call emergency services now.</summary>
    Emergency,

    /// <summary>Suicidal thoughts or self-harm: emergency services and the crisis line.</summary>
    Crisis,

    /// <summary>A threat of violence toward others.</summary>
    Violence,
}
