import { EC2Client } from '@aws-sdk/client-ec2';

export interface AwsConnection {
  /** Set for the emulator or an AWS-compatible endpoint; unset for AWS itself. */
  endpoint?: string;
  /** Unset: the SDK's default credential chain. */
  credentials?: { accessKeyId: string; secretAccessKey: string };
  maxAttempts: number;
}

/** One SDK client per region, built on first use and shared afterwards. */
export class AwsClients {
  private readonly ec2 = new Map<string, EC2Client>();

  constructor(private readonly connection: AwsConnection) {}

  ec2For(region: string): EC2Client {
    let client = this.ec2.get(region);
    if (!client) {
      client = new EC2Client({ region, ...this.connection });
      this.ec2.set(region, client);
    }
    return client;
  }

  destroy(): void {
    for (const client of this.ec2.values()) {
      client.destroy();
    }
    this.ec2.clear();
  }
}
