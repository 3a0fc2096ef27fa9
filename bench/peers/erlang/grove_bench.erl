%% grove_bench — the BEAM peer of grove's in-worker benchmarks. Run with
%% one scheduler, like grove's default:
%%   erlc grove_bench.erl && erl +S 1 -noshell -s grove_bench main ring -s init stop
%% Figures (JSON lines, system "beam"): ring.1000, pingpong.local, spawn.1m,
%% proc.bytes, genserver.call, genserver.cast — the same work as
%% bench/worker/worker_bench.cpp.
-module(grove_bench).
-behaviour(gen_server).
-export([main/1, init/1, handle_call/3, handle_cast/2]).

emit(Bench, Unit, Value, Extra) ->
    io:format("{\"bench\":\"~s\",\"system\":\"beam\",\"unit\":\"~s\",\"value\":~.6g~s}~n",
              [Bench, Unit, float(Value), Extra]).

seconds_since(T0) -> (erlang:monotonic_time(nanosecond) - T0) / 1.0e9.

main([What]) -> run(What).

%% ring: 1000 processes, one token, 10M hops
run(ring) ->
    N = 1000, Hops = 10000000,
    Self = self(),
    Next = lists:foldl(fun(_, Nxt) -> spawn(fun() -> hop(Nxt) end) end, Self, lists:seq(2, N)),
    T0 = erlang:monotonic_time(nanosecond),
    Next ! token,
    ring_loop(Next, N, Hops),
    emit("ring.1000", "msg/s", Hops / seconds_since(T0), ",\"processes\":1000");
%% ping-pong between two processes
run(pingpong) ->
    Rounds = 5000000,
    Other = spawn(fun pong/0),
    T0 = erlang:monotonic_time(nanosecond),
    ping(Other, Rounds),
    emit("pingpong.local", "round trips/s", Rounds / seconds_since(T0), "");
%% spawn: a million processes waiting in receive
run(spawn) ->
    N = 1000000,
    erlang:garbage_collect(),
    M0 = erlang:memory(processes),
    T0 = erlang:monotonic_time(nanosecond),
    Pids = spawn_n(N, []),
    Dt = seconds_since(T0),
    M1 = erlang:memory(processes),
    emit("spawn.1m", "s", Dt / N, ",\"per\":\"process\""),
    emit("proc.bytes", "bytes", (M1 - M0) / N, ",\"per\":\"process\""),
    [P ! stop || P <- Pids],
    ok;
run(call) ->
    Calls = 1000000,
    {ok, S} = gen_server:start_link(?MODULE, [], []),
    T0 = erlang:monotonic_time(nanosecond),
    call_n(S, Calls),
    emit("genserver.call", "round trips/s", Calls / seconds_since(T0), "");
run(cast) ->
    Casts = 5000000,
    {ok, S} = gen_server:start_link(?MODULE, [], []),
    T0 = erlang:monotonic_time(nanosecond),
    cast_n(S, Casts),
    Casts = gen_server:call(S, get, infinity),
    emit("genserver.cast", "msg/s", Casts / seconds_since(T0), "").

hop(Next) -> receive M -> Next ! M, hop(Next) end.
ring_loop(_Next, Done, Hops) when Done >= Hops -> receive _ -> ok end, ok;
ring_loop(Next, Done, Hops) -> receive M -> Next ! M end, ring_loop(Next, Done + 1000, Hops).

pong() -> receive {From, B} -> From ! B, pong() end.
ping(_, 0) -> ok;
ping(Other, N) -> Other ! {self(), ball}, receive ball -> ok end, ping(Other, N - 1).

idle() -> receive _ -> ok end.
spawn_n(0, Acc) -> Acc;
spawn_n(N, Acc) -> spawn_n(N - 1, [spawn(fun idle/0) | Acc]).

call_n(_, 0) -> ok;
call_n(S, N) -> _ = gen_server:call(S, get), call_n(S, N - 1).
cast_n(_, 0) -> ok;
cast_n(S, N) -> gen_server:cast(S, incr), cast_n(S, N - 1).

init([]) -> {ok, 0}.
handle_call(get, _From, N) -> {reply, N, N}.
handle_cast(incr, N) -> {noreply, N + 1}.
