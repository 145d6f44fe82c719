Console.WriteLine("AutoGrad getting started");
