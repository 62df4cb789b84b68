// The error a pod sync reports as a FailedMount event; its message is the event text.

export class VolumeSetUpError extends Error {
  /** Every failing volume's message when several failed (the first one is `message`). */
  readonly messages: string[];
  constructor(messages: string[]) {
    super(messages[0] ?? 'MountVolume.SetUp failed');
    this.name = 'VolumeSetUpError';
    this.messages = messages;
  }
}

/** A plugin's reason a volume cannot be set up, without the `MountVolume.SetUp failed …` prefix the manager adds. */
export class VolumeProblem extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'VolumeProblem';
  }
}
